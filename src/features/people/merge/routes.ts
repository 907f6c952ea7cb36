import type { Request, Response } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../../../context.js'
import { londonDate } from '../../../domain/working-days.js'
import { exactText, fieldValue, formErrors } from '../../../forms.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { findPerson } from '../../../repositories/person-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { mergePersons, offeredMatches } from '../../../services/case-people.js'
import { problemsToErrors, versionFrom } from '../../case-record/case-page.js'
import { describePersonAge } from '../../case-record/people/routes.js'

const schema = z.object({ reason: exactText({ label: 'The reason', max: 2000, required: 'Enter why these are the same person' }) })

/**
 * A manager merges another record of the same person into this one. Kestrel offers the records
 * that look alike; the merge keeps every link as it was, so it can be undone exactly.
 */
export function mergeRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const id = req.params.id
    if (!isUuid(id)) throw new NotFound()
    const found = await deps.database.db.transaction().execute(async (tx) => {
      const person = await findPerson(tx, ctx.user.organisationId, id, ctx.user.id)
      if (!person || person.merged_into_id) return undefined
      const matches = (await offeredMatches(tx, ctx, { name: person.name, otherNames: person.other_names, dateOfBirth: person.date_of_birth, ageYears: person.age_years, postcode: person.postcode })).filter((m) => m.candidate.id !== person.id)
      await audit(tx, ctx, { action: 'person.view', recordType: 'person', recordId: person.id, details: { form: 'merge', candidate_ids: matches.map((m) => m.candidate.id) } })
      return { person, matches }
    })
    if (!found) throw new NotFound()
    const today = londonDate(ctx.now())
    res.status(status).render('people/merge/view.njk', {
      activeNav: 'cases',
      person: found.person,
      age: describePersonAge(found.person, today),
      items: found.matches.map((m) => ({
        value: `${m.candidate.id}:${m.candidate.version}`,
        html: `<strong>${escapeHtml(m.candidate.name)}</strong>${m.candidate.other_names ? ` (also ${escapeHtml(m.candidate.other_names)})` : ''}`,
        hint: { text: `Age ${describePersonAge({ date_of_birth: m.candidate.date_of_birth, age_years: m.candidate.age_years }, today)}${m.candidate.postcode ? `, ${m.candidate.postcode}` : ''}. ${m.candidate.concernCount} concern${m.candidate.concernCount === 1 ? '' : 's'}. ${m.reasons.join(', ')}.` },
        checked: values.other === `${m.candidate.id}:${m.candidate.version}`,
      })),
      values,
      errors,
    })
  }

  return [
    { method: 'get', path: paths.personMerge(':id'), action: 'people:merge', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.personMerge(':id'),
      action: 'people:merge',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = req.params.id
        if (!isUuid(id)) throw new NotFound()
        const values = { other: fieldValue(req.body, 'other'), reason: fieldValue(req.body, 'reason'), version: fieldValue(req.body, 'version') }
        const parsed = schema.safeParse(req.body ?? {})
        const [otherId, otherVersion] = values.other.split(':')
        const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: [String(i.path[0])], message: i.message }))
        if (!isUuid(otherId) || !/^\d{1,9}$/.test(otherVersion ?? '')) issues.unshift({ path: ['other'], message: 'Select the record to merge into this one' })
        if (issues.length || !parsed.success) return render(req, res, 400, values, formErrors(issues, { other: '#other' }))
        const outcome = await mergePersons(deps, ctx, { survivorId: id, survivorVersion: versionFrom(req.body), mergedId: otherId!, mergedVersion: Number(otherVersion), reason: parsed.data.reason! })
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The records have been merged. You can undo this from the merge history.' }
          return res.redirect(303, paths.person(id))
        }
        if (outcome.kind === 'not_found') throw new NotFound()
        if (outcome.kind === 'conflict') throw new ConcurrencyConflict(paths.personMerge(id), 'person')
        if (outcome.kind === 'invalid') return render(req, res, 400, values, problemsToErrors(outcome.problems.map((p) => ({ ...p, field: 'other' }))))
        return render(req, res, 409, values, problemsToErrors([{ field: 'other', message: outcome.reason }]))
      },
    },
  ]
}

const escapeHtml = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
