import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { sessionsController } from './controller.js'

/** "Your sessions": anyone signed in sees and ends only their own sessions (the service checks ownership). */
export function sessionsRoutes(deps: AppDeps): RouteSpec[] {
  const c = sessionsController(deps)
  return [
    { method: 'get', path: paths.accountSessions(), action: 'account:use', handler: c.show },
    { method: 'post', path: paths.accountSessionsSignOutOthers(), action: 'account:use', handler: c.signOutOthers },
    { method: 'post', path: paths.accountSessionSignOut(), action: 'account:use', handler: c.signOutOne },
  ]
}
