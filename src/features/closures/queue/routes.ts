import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import { listClosureQueue } from '../../../repositories/closure-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

/** The Senior Lead Officer's queue: closure requests waiting for a decision, oldest first. */
export function closureQueueRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.closures(),
      action: 'closure:queue',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const rows = await deps.database.db.transaction().execute(async (tx) => {
          const rows = await listClosureQueue(tx, ctx.user.organisationId, ctx.user.id)
          await audit(tx, ctx, { action: 'concern.list', details: { list: 'closures', count: rows.length, record_ids: rows.map((r) => r.id) } })
          return rows
        })
        res.render('closures/queue/view.njk', { activeNav: 'closures', rows })
      },
    },
  ]
}
