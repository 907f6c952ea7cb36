import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { decisionController } from './controller.js'

export function decisionRoutes(deps: AppDeps): RouteSpec[] {
  const c = decisionController(deps)
  return [
    { method: 'get', path: paths.concernDecision(':id'), action: 'concern:decide', handler: c.show },
    { method: 'post', path: paths.concernDecision(':id'), action: 'concern:decide', handler: c.submit },
  ]
}
