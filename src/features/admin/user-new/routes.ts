import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { newUserController } from './controller.js'

export function newUserRoutes(deps: AppDeps): RouteSpec[] {
  const c = newUserController(deps)
  return [
    { method: 'get', path: paths.adminNewUser(), action: 'admin:users', handler: c.show },
    { method: 'post', path: paths.adminNewUser(), action: 'admin:users', handler: c.submit },
  ]
}
