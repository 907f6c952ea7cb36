import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import type { CaseOutcome } from '../../../services/case-outcome.js'
import { completeMeeting, rebuildAgenda } from '../../../services/case-review.js'
import { versionFrom } from '../../case-record/case-page.js'
import { loadMeeting } from '../meeting-view.js'

/** One meeting: its attendees and agenda, outcomes as they are recorded, and its actions. */
export function meetingRoutes(deps: AppDeps): RouteSpec[] {
  async function show(req: Request, res: Response, status = 200, problem?: string) {
    const ctx = signedIn(req)
    const id = req.params.id
    if (!isUuid(id)) throw new NotFound()
    const found = await deps.database.db.transaction().execute((tx) => loadMeeting(tx, ctx, id, 'review.view'))
    if (!found) throw new NotFound()
    res.status(status).render('reviews/meeting/view.njk', { activeNav: 'reviews', ...found, canManage: ctx.user.roles.has('safeguarding_manager') && !found.meeting.completed_at, problem })
  }

  async function answer(req: Request, res: Response, outcome: CaseOutcome, success: string) {
    const id = req.params.id as string
    if (outcome.kind === 'done') {
      req.session.flash = { kind: 'success', text: success }
      return res.redirect(303, paths.review(id))
    }
    if (outcome.kind === 'not_found') throw new NotFound()
    if (outcome.kind === 'conflict') throw new ConcurrencyConflict(paths.review(id), 'meeting')
    return show(req, res, 409, outcome.kind === 'refused' ? outcome.reason : 'That could not be done.')
  }

  return [
    { method: 'get', path: paths.review(':id'), action: 'reviews:view', handler: (req, res) => show(req, res) },
    {
      method: 'post',
      path: paths.reviewRebuild(':id'),
      action: 'reviews:manage',
      handler: async (req, res) => {
        const id = req.params.id
        if (!isUuid(id)) throw new NotFound()
        await answer(req, res, await rebuildAgenda(deps, signedIn(req), id, versionFrom(req.body)), 'The agenda has been brought up to date.')
      },
    },
    {
      method: 'post',
      path: paths.reviewComplete(':id'),
      action: 'reviews:manage',
      handler: async (req, res) => {
        const id = req.params.id
        if (!isUuid(id)) throw new NotFound()
        await answer(req, res, await completeMeeting(deps, signedIn(req), id, versionFrom(req.body)), 'The meeting is finished. Cases not discussed will come back next time.')
      },
    },
  ]
}
