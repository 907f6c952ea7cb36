import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { twoStepSetupController } from './controller.js'

export function twoStepSetupRoutes(deps: AppDeps): RouteSpec[] {
  const c = twoStepSetupController(deps)
  return [
    { method: 'get', path: paths.accountMfaSetup(), action: 'account:mfa', handler: c.show },
    { method: 'post', path: paths.accountMfaSetup(), action: 'account:mfa', handler: c.submit },
  ]
}
