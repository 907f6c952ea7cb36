import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { confirmSignInController } from './controller.js'

/** "Confirm it's you": the password again (and code) before a sensitive action (domain/fresh-sign-in.ts). */
export function confirmSignInRoutes(deps: AppDeps): RouteSpec[] {
  const c = confirmSignInController(deps)
  return [
    { method: 'get', path: paths.confirmSignIn(), action: 'account:use', handler: c.show },
    { method: 'post', path: paths.confirmSignIn(), action: 'account:use', handler: c.submit },
  ]
}
