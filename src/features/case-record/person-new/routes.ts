import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase } from '../../../domain/case-record-rules.js'
import { isoToParts } from '../../../domain/dates.js'
import { londonDate } from '../../../domain/working-days.js'
import { fieldValue } from '../../../forms.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import type { PersonRole } from '../../../repositories/person-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { addPersonToCase, offeredMatches, type PersonInput } from '../../../services/case-people.js'
import type { CaseOutcome } from '../../../services/case-outcome.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, problemsToErrors } from '../case-page.js'
import { describePersonAge } from '../people/routes.js'
import { parsePersonForm, PERSON_FIELDS, PERSON_ROLES, ROLE_LABELS } from '../people/person-form.js'

/**
 * Adding someone to a case. Before a new person-index record is made, the index is searched
 * (similar names, same date of birth or postcode) and likely matches are offered, so a repeat
 * concern joins the same person's history rather than starting a second record.
 */
export function personNewRoutes(deps: AppDeps): RouteSpec[] {
  async function renderForm(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const { concern } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'people', form: 'new' } })
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return res.status(req.method === 'GET' ? 200 : 409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, 'people'), heading: 'You cannot add a person', reason: permission.reason, returnTo: paths.concernPeople(concern.id) })
    res.status(status).render('case-record/person-new/view.njk', { ...caseRecordLocals(concern, ctx, 'people'), roleItems: PERSON_ROLES.map((r) => ({ value: r.value, text: r.text, hint: { text: r.hint }, checked: values.role === r.value })), values, errors })
  }

  async function create(req: Request, res: Response, id: string, role: PersonRole, person: PersonInput) {
    const ctx = signedIn(req)
    const outcome = await addPersonToCase(deps, ctx, id, { role, person })
    if (outcome.kind === 'done') {
      req.session.flash = { kind: 'success', text: `${person.name} has been added as ${ROLE_LABELS[role].toLowerCase()}.` }
      return res.redirect(303, paths.concernPeople(id))
    }
    await answerFailure(deps, ctx, res, id, outcome, { tab: 'people', heading: 'You cannot add a person', returnTo: paths.concernPeople(id) })
  }

  return [
    { method: 'get', path: paths.concernPersonNew(':id'), action: 'case:add', handler: (req, res) => renderForm(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernPersonNew(':id'),
      action: 'case:add',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        if (fieldValue(req.body, 'fromReferral') === 'yes') {
          // The person at risk exactly as the referrer described them (matches were offered on the People tab).
          const { concern } = await loadCaseRecord(deps, ctx, id, { action: 'concern.view', details: { tab: 'people', form: 'from-referral' } })
          return create(req, res, id, 'subject', { name: concern.person_name, otherNames: concern.person_known_as, dateOfBirth: concern.person_date_of_birth, ageYears: concern.person_age_years, address: concern.person_address, postcode: concern.person_postcode })
        }
        const values = Object.fromEntries(PERSON_FIELDS.map((k) => [k, fieldValue(req.body, k)]))
        const form = parsePersonForm(req.body, londonDate(ctx.now()))
        if (!form.ok) return renderForm(req, res, 400, values, form.errors)
        if (fieldValue(req.body, 'confirmNew') !== 'yes') {
          const today = londonDate(ctx.now())
          const { concern, data: matches } = await loadCaseRecord(deps, ctx, id, { action: 'concern.view', details: { tab: 'people', form: 'matches' } }, (tx) => offeredMatches(tx, ctx, form.person))
          if (matches.length) {
            const dob = isoToParts(form.person.dateOfBirth)
            return res.render('case-record/person-new/matches.njk', {
              ...caseRecordLocals(concern, ctx, 'people'),
              person: form.person,
              role: form.role,
              roleLabel: ROLE_LABELS[form.role],
              hidden: { ...values, 'dob-day': dob.day, 'dob-month': dob.month, 'dob-year': dob.year },
              matches: matches.map((m) => ({ ...m, age: describePersonAge({ date_of_birth: m.candidate.date_of_birth, age_years: m.candidate.age_years }, today) })),
            })
          }
        }
        return create(req, res, id, form.role, form.person)
      },
    },
    {
      method: 'post',
      path: paths.concernPersonLink(':id'),
      action: 'case:add',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const role = PERSON_ROLES.find((r) => r.value === fieldValue(req.body, 'role'))?.value ?? 'subject'
        const personId = fieldValue(req.body, 'personId')
        const outcome = isUuid(personId) ? await addPersonToCase(deps, ctx, id, { role, existingPersonId: personId }) : ({ kind: 'invalid', problems: [{ field: 'personId', message: 'Select a person from the list' }] } satisfies CaseOutcome)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: `The person has been linked as ${ROLE_LABELS[role].toLowerCase()}. Their other concerns are listed below.` }
          return res.redirect(303, paths.concernPeople(id))
        }
        const invalid = await answerFailure(deps, ctx, res, id, outcome, { tab: 'people', heading: 'You cannot link this person', returnTo: paths.concernPeople(id) })
        if (invalid) return renderForm(req, res, 400, {}, problemsToErrors(invalid.problems))
      },
    },
  ]
}
