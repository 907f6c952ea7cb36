import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { changePasswordController } from './controller.js'

export function changePasswordRoutes(deps: AppDeps): RouteSpec[] {
  const c = changePasswordController(deps)
  return [
    { method: 'get', path: paths.changePassword(), action: 'account:use', handler: c.show },
    { method: 'post', path: paths.changePassword(), action: 'account:use', handler: c.submit },
  ]
}
