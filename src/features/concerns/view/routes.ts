import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { concernController } from './controller.js'

export function concernRoutes(deps: AppDeps): RouteSpec[] {
  const c = concernController(deps)
  return [{ method: 'get', path: paths.concern(':id'), action: 'concern:view', handler: c.show }]
}
