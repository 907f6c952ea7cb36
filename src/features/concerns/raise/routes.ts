import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { raiseConcernController } from './controller.js'

export function raiseConcernRoutes(deps: AppDeps): RouteSpec[] {
  const c = raiseConcernController(deps)
  return [
    { method: 'get', path: paths.raiseConcern(), action: 'concern:raise', handler: c.show },
    { method: 'post', path: paths.raiseConcern(), action: 'concern:raise', handler: c.submit },
  ]
}
