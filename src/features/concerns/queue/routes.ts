import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { queueController } from './controller.js'

export function queueRoutes(deps: AppDeps): RouteSpec[] {
  const c = queueController(deps)
  return [{ method: 'get', path: paths.queue(), action: 'concern:queue', handler: c.show }]
}
