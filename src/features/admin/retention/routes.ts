import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { retentionSettingsController } from './controller.js'

export function retentionSettingsRoutes(deps: AppDeps): RouteSpec[] {
  const c = retentionSettingsController(deps)
  return [
    { method: 'get', path: paths.adminRetention(), action: 'admin:retention', handler: c.show },
    { method: 'post', path: paths.adminRetention(), action: 'admin:retention', handler: c.submit },
  ]
}
