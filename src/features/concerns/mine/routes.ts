import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { REFERRER_STATUS_LABELS, referrerStatus } from '../../../domain/concern-status.js'
import { pageFromQuery, paginationView, PAGE_SIZE } from '../../../pagination.js'
import { paths } from '../../../paths.js'
import { countOwnConcerns, listOwnConcerns } from '../../../repositories/concern-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

/** "Your concerns": reference, date and a plain status — never decisions or notes. */
export function myConcernsRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.myConcerns(),
      action: 'concern:list-own',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const page = pageFromQuery(req.query)
        const { rows, total } = await deps.database.db.transaction().execute(async (tx) => {
          const rows = await listOwnConcerns(tx, ctx.user.organisationId, ctx.user.id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
          const total = await countOwnConcerns(tx, ctx.user.organisationId, ctx.user.id)
          await audit(tx, ctx, { action: 'concern.list-own', details: { page, count: rows.length, record_ids: rows.map((r) => r.id) } })
          return { rows, total }
        })
        const concerns = rows.map((r) => ({ ...r, plainStatus: REFERRER_STATUS_LABELS[referrerStatus(r.status)] }))
        res.render('concerns/mine/view.njk', {
          activeNav: 'mine',
          concerns,
          total,
          pagination: paginationView(page, total, (n) => `${paths.myConcerns()}?page=${n}`),
        })
      },
    },
  ]
}
