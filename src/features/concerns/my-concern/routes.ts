import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { REFERRER_STATUS_LABELS, referrerStatus } from '../../../domain/concern-status.js'
import { mayViewOwnConcern } from '../../../domain/policy.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { findConcern } from '../../../repositories/concern-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { answerRows } from '../check/answer-rows.js'
import { referrerFeedback } from '../../../domain/referrer-feedback.js'
import { userNames } from '../../../repositories/triage-repository.js'

/** The referrer's record of what they said, exactly as they said it, and a plain status. */
export function myConcernRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.myConcern(':id'),
      action: 'concern:view-own',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const id = req.params.id
        if (!isUuid(id)) throw new NotFound()
        const concern = await deps.database.db.transaction().execute(async (tx) => {
          const c = await findConcern(tx, ctx.user.organisationId, id)
          if (!c || !mayViewOwnConcern(ctx.user, c)) return undefined
          await audit(tx, ctx, { action: 'concern.view-own', recordType: 'concern', recordId: c.id })
          const names = await userNames(tx, ctx.user.organisationId, [c.lead_dso_id])
          return { ...c, leadName: c.lead_dso_id ? (names.get(c.lead_dso_id) ?? null) : null }
        })
        if (!concern) throw new NotFound()
        res.render('concerns/my-concern/view.njk', {
          activeNav: 'mine',
          concern,
          plainStatus: REFERRER_STATUS_LABELS[referrerStatus(concern.status)],
          // Privacy-safe words only: that it was dealt with and who leads it, never the decision.
          feedback: referrerFeedback(concern, concern.leadName),
          rows: answerRows(concern, concern.referrer_service_name),
        })
      },
    },
  ]
}
