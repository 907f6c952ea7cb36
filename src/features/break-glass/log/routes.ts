import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { listBreakGlassLog } from '../../../repositories/restriction-repository.js'

/** Every break-glass opening, newest first: for the Senior Lead Officer, managers and auditors. */
export function breakGlassLogRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.breakGlassLog(),
      action: 'case:break-glass-log',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const rows = await deps.database.db.transaction().execute(async (tx) => {
          const rows = await listBreakGlassLog(tx, ctx.user.organisationId, 200)
          await audit(tx, ctx, { action: 'break-glass.log-view', details: { count: rows.length, break_glass_ids: rows.map((r) => r.id) } })
          return rows
        })
        res.render('break-glass/log/view.njk', { activeNav: 'cases', rows })
      },
    },
  ]
}
