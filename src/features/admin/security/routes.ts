import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { securitySettingsController } from './controller.js'

export function securitySettingsRoutes(deps: AppDeps): RouteSpec[] {
  const c = securitySettingsController(deps)
  return [
    { method: 'get', path: paths.adminSecurity(), action: 'admin:security', handler: c.show },
    { method: 'post', path: paths.adminSecurity(), action: 'admin:security', handler: c.submit },
  ]
}
