import type { Request, Response } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../../../context.js'
import { exactText, fieldValue, formErrors } from '../../../forms.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { findMerge, findPerson } from '../../../repositories/person-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { undoPersonMerge } from '../../../services/case-people.js'
import { problemsToErrors } from '../../case-record/case-page.js'

const schema = z.object({ reason: exactText({ label: 'The reason', max: 2000, required: 'Enter why the merge is being undone' }) })

/** Undoing a merge, with a reason: both records are separate again, exactly as before. */
export function mergeUndoRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const id = req.params.mergeId
    if (!isUuid(id)) throw new NotFound()
    const found = await deps.database.db.transaction().execute(async (tx) => {
      const merge = await findMerge(tx, ctx.user.organisationId, id)
      const survivor = merge ? await findPerson(tx, ctx.user.organisationId, merge.survivor_id, ctx.user.id) : undefined
      const merged = merge ? await findPerson(tx, ctx.user.organisationId, merge.merged_id, ctx.user.id) : undefined
      if (!merge || !survivor || !merged) return undefined
      await audit(tx, ctx, { action: 'person.view', recordType: 'person', recordId: survivor.id, details: { form: 'merge-undo', merge_id: merge.id, merged_id: merged.id } })
      return { merge, survivor, merged }
    })
    if (!found) throw new NotFound()
    res.status(status).render('people/merge-undo/view.njk', { activeNav: 'cases', ...found, values, errors })
  }

  return [
    { method: 'get', path: paths.personMergeUndo(':mergeId'), action: 'people:merge', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.personMergeUndo(':mergeId'),
      action: 'people:merge',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = req.params.mergeId
        if (!isUuid(id)) throw new NotFound()
        const values = { reason: fieldValue(req.body, 'reason') }
        const parsed = schema.safeParse(req.body ?? {})
        if (!parsed.success) return render(req, res, 400, values, formErrors(parsed.error.issues))
        const outcome = await undoPersonMerge(deps, ctx, id, parsed.data.reason!)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The merge has been undone. The records are separate again.' }
          return res.redirect(303, paths.person(outcome.id!))
        }
        if (outcome.kind === 'not_found') throw new NotFound()
        if (outcome.kind === 'conflict') throw new ConcurrencyConflict(paths.personMergeUndo(id), 'person')
        return render(req, res, 409, values, problemsToErrors([{ field: 'reason', message: outcome.kind === 'refused' ? outcome.reason : 'The merge could not be undone' }]))
      },
    },
  ]
}
