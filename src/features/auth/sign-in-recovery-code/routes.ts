import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signInRecoveryCodeController } from './controller.js'

/** Public: the controller requires a half-finished sign-in (password already checked) in the session. */
export function signInRecoveryCodeRoutes(deps: AppDeps): RouteSpec[] {
  const c = signInRecoveryCodeController(deps)
  return [
    { method: 'get', path: paths.signInRecoveryCode(), action: 'public', handler: c.show },
    { method: 'post', path: paths.signInRecoveryCode(), action: 'public', handler: c.submit },
  ]
}
