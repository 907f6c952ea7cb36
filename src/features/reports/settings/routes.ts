import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { reportSettingsController } from './controller.js'

export function reportSettingsRoutes(deps: AppDeps): RouteSpec[] {
  const c = reportSettingsController(deps)
  return [
    { method: 'get', path: paths.reportSettings(), action: 'reports:settings', handler: c.show },
    { method: 'post', path: paths.reportSettings(), action: 'reports:settings', handler: c.save },
  ]
}
