import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { twoStepController } from './controller.js'

export function twoStepRoutes(deps: AppDeps): RouteSpec[] {
  const c = twoStepController(deps)
  return [
    { method: 'get', path: paths.accountMfa(), action: 'account:mfa', handler: c.show },
    { method: 'post', path: paths.accountMfaRecoveryCodes(), action: 'account:mfa', handler: c.regenerate },
  ]
}
