import type { AppDeps } from '../../context.js'
import type { RouteSpec } from '../../routing.js'
import { disposalApproveRoutes } from './disposal-approve/routes.js'
import { disposalRoutes } from './disposal/routes.js'
import { disposedRoutes } from './disposed/routes.js'

/** Retention-driven disposal (issue 6): the review list, the second person's approval, the register. */
export function recordsRoutes(deps: AppDeps): RouteSpec[] {
  return [...disposalRoutes(deps), ...disposedRoutes(deps), ...disposalApproveRoutes(deps)]
}
