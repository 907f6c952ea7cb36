import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { servicesController } from './controller.js'

export function servicesRoutes(deps: AppDeps): RouteSpec[] {
  const c = servicesController(deps)
  return [
    { method: 'get', path: paths.adminServices(), action: 'admin:reference-data', handler: c.show },
    { method: 'post', path: paths.adminServices(), action: 'admin:reference-data', handler: c.add },
  ]
}
