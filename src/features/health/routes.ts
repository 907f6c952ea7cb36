import { sql } from 'kysely'
import type { AppDeps } from '../../context.js'
import { migrationsAreCurrent } from '../../db/migrate.js'
import { paths } from '../../paths.js'
import type { RouteSpec } from '../../routing.js'

/**
 * Liveness and readiness for load balancers and monitoring. Mounted before sessions (no cookie is
 * ever set) and public in the policy table; they say nothing about people or cases.
 */
export function healthRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.health(),
      action: 'public',
      handler: (_req, res) => {
        res.setHeader('Cache-Control', 'no-store')
        res.json({ status: 'ok' })
      },
    },
    {
      method: 'get',
      path: paths.ready(),
      action: 'public',
      handler: async (_req, res) => {
        res.setHeader('Cache-Control', 'no-store')
        try {
          await sql`SELECT 1`.execute(deps.database.db)
          const current = await migrationsAreCurrent(deps.database.db)
          res.status(current ? 200 : 503).json({ status: current ? 'ready' : 'migrations pending', database: 'ok' })
        } catch {
          res.status(503).json({ status: 'unavailable', database: 'unreachable' })
        }
      },
    },
  ]
}
