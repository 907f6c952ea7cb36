import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signInCodeController } from './controller.js'

/** Public: the visitor is not signed in yet; the controller requires a half-finished sign-in in the session. */
export function signInCodeRoutes(deps: AppDeps): RouteSpec[] {
  const c = signInCodeController(deps)
  return [
    { method: 'get', path: paths.signInCode(), action: 'public', handler: c.show },
    { method: 'post', path: paths.signInCode(), action: 'public', handler: c.submit },
  ]
}
