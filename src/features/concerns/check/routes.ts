import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { checkConcernController } from './controller.js'

export function checkConcernRoutes(deps: AppDeps): RouteSpec[] {
  const c = checkConcernController(deps)
  return [
    { method: 'get', path: paths.checkConcern(), action: 'concern:raise', handler: c.show },
    { method: 'post', path: paths.checkConcern(), action: 'concern:raise', handler: c.submit },
  ]
}
