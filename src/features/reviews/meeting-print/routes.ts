import type { AppDeps } from '../../../context.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { loadMeeting } from '../meeting-view.js'

/** The agenda (before the meeting) or minutes (after) as a page made for printing; audited as a print. */
export function meetingPrintRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.reviewPrint(':id'),
      action: 'reviews:view',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = req.params.id
        if (!isUuid(id)) throw new NotFound()
        const found = await deps.database.db.transaction().execute((tx) => loadMeeting(tx, ctx, id, 'review.print'))
        if (!found) throw new NotFound()
        res.render('reviews/meeting-print/view.njk', { activeNav: 'reviews', ...found, canManage: false, printedAt: ctx.now(), printedBy: ctx.user.displayName })
      },
    },
  ]
}
