import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import { countDisposed, disposalRegister } from '../../../repositories/retention-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

const PAGE_SIZE = 100

/** The register of disposals: what was disposed of, when, under which rule and by whom. */
export function disposedRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.recordsDisposed(),
      action: 'records:review',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const pageNumber = Math.max(1, Math.min(100_000, Number.parseInt(String(req.query.page ?? '1'), 10) || 1))
        const { rows, total } = await deps.database.db.transaction().execute(async (tx) => {
          const rows = await disposalRegister(tx, ctx.user.organisationId, PAGE_SIZE, (pageNumber - 1) * PAGE_SIZE)
          const total = await countDisposed(tx, ctx.user.organisationId)
          await audit(tx, ctx, { action: 'disposal.register-view', details: { count: rows.length, page: pageNumber } })
          return { rows, total }
        })
        const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
        res.render('records/disposed/view.njk', {
          activeNav: 'records',
          rows,
          total,
          previous: pageNumber > 1 ? `${paths.recordsDisposed()}?page=${pageNumber - 1}` : undefined,
          next: pageNumber < pages ? `${paths.recordsDisposed()}?page=${pageNumber + 1}` : undefined,
        })
      },
    },
  ]
}
