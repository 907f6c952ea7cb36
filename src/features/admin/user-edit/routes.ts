import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { editUserController } from './controller.js'

export function editUserRoutes(deps: AppDeps): RouteSpec[] {
  const c = editUserController(deps)
  return [
    { method: 'get', path: paths.adminUser(':id'), action: 'admin:users', handler: c.show },
    { method: 'post', path: paths.adminUser(':id'), action: 'admin:users', handler: c.submit },
    { method: 'post', path: paths.adminUserActive(':id'), action: 'admin:users', handler: c.active },
    { method: 'post', path: paths.adminUserPassword(':id'), action: 'admin:users', handler: c.password },
  ]
}
