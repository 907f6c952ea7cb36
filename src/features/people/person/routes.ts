import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { STATUS_LABELS } from '../../../domain/concern-status.js'
import { londonDate } from '../../../domain/working-days.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { concernsOfGroups, findPerson, listMergedRecords, listMergeHistory } from '../../../repositories/person-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { describePersonAge } from '../../case-record/people/routes.js'
import { ROLE_LABELS } from '../../case-record/people/person-form.js'

/**
 * A person's record in the index: their details, every concern about them the viewer may see
 * (through any record merged into theirs), and the merge history, which a manager can undo.
 */
export function personRoutes(deps: AppDeps): RouteSpec[] {
  async function show(req: Request, res: Response) {
    const ctx = signedIn(req)
    const id = req.params.id
    if (!isUuid(id)) throw new NotFound()
    const found = await deps.database.db.transaction().execute(async (tx) => {
      const person = await findPerson(tx, ctx.user.organisationId, id, ctx.user.id)
      if (!person) return undefined
      const groupId = person.merged_into_id ?? person.id
      const concerns = await concernsOfGroups(tx, ctx.user.organisationId, [groupId], ctx.user.id)
      const merged = await listMergedRecords(tx, ctx.user.organisationId, person.id)
      const history = await listMergeHistory(tx, ctx.user.organisationId, person.id)
      await audit(tx, ctx, { action: 'person.view', recordType: 'person', recordId: person.id, details: { concern_ids: concerns.map((c) => c.id) } })
      return { person, concerns, merged, history }
    })
    if (!found) throw new NotFound()
    const today = londonDate(ctx.now())
    const isManager = ctx.user.roles.has('safeguarding_manager')
    res.render('people/person/view.njk', {
      activeNav: 'cases',
      ...found,
      age: describePersonAge(found.person, today),
      concerns: found.concerns.map((c) => ({ ...c, statusLabel: STATUS_LABELS[c.status], roleLabel: ROLE_LABELS[c.role] })),
      merged: found.merged.map((m) => ({ ...m, age: describePersonAge(m, today) })),
      history: found.history.map((h) => ({ ...h, canUndo: isManager && !h.undone_at && !h.survivor_merged_into_id })),
      canMerge: isManager && !found.person.merged_into_id,
    })
  }
  return [{ method: 'get', path: paths.person(':id'), action: 'people:view', handler: show }]
}
