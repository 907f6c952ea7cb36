import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { userTwoStepController } from './controller.js'

export function userTwoStepRoutes(deps: AppDeps): RouteSpec[] {
  const c = userTwoStepController(deps)
  return [
    { method: 'get', path: paths.adminUserMfa(':id'), action: 'admin:users', handler: c.show },
    { method: 'post', path: paths.adminUserMfa(':id'), action: 'admin:users', handler: c.reset },
  ]
}
