import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signInController } from './controller.js'

export function signInRoutes(deps: AppDeps): RouteSpec[] {
  const c = signInController(deps)
  return [
    { method: 'get', path: paths.signIn(), action: 'public', handler: c.show },
    { method: 'post', path: paths.signIn(), action: 'public', handler: c.submit },
  ]
}
