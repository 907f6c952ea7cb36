import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { allocateController } from './controller.js'

export function allocateRoutes(deps: AppDeps): RouteSpec[] {
  const c = allocateController(deps)
  return [
    { method: 'get', path: paths.concernAllocate(':id'), action: 'concern:allocate', handler: c.show },
    { method: 'post', path: paths.concernAllocate(':id'), action: 'concern:allocate', handler: c.submit },
  ]
}
