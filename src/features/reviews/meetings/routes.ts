import type { AppDeps } from '../../../context.js'
import { pageFromQuery, paginationView } from '../../../pagination.js'
import { paths } from '../../../paths.js'
import { countMeetings, listMeetings } from '../../../repositories/review-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

const PAGE = 25

/** The weekly case review meetings, newest first (one query for the page, one count). */
export function meetingsRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.reviews(),
      action: 'reviews:view',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const page = pageFromQuery(req.query)
        const { rows, total } = await deps.database.db.transaction().execute(async (tx) => {
          const rows = await listMeetings(tx, ctx.user.organisationId, ctx.user.id, PAGE, (page - 1) * PAGE)
          const total = await countMeetings(tx, ctx.user.organisationId)
          await audit(tx, ctx, { action: 'review.list', details: { page, count: rows.length } })
          return { rows, total }
        })
        res.render('reviews/meetings/view.njk', {
          activeNav: 'reviews',
          rows: rows.map((r) => ({ ...r, items: Number(r.items), recorded: Number(r.recorded) })),
          total,
          canCreate: ctx.user.roles.has('safeguarding_manager'),
          pagination: paginationView(page, total, (n) => `${paths.reviews()}?page=${n}`, PAGE),
        })
      },
    },
  ]
}
