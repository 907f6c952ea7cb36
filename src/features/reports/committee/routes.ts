import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { committeeController } from './controller.js'

export function committeeRoutes(deps: AppDeps): RouteSpec[] {
  const c = committeeController(deps)
  return [
    { method: 'get', path: paths.reportCommittee(), action: 'reports:view', handler: c.show },
    { method: 'get', path: paths.reportCommitteePdf(), action: 'reports:export', handler: c.pdf },
  ]
}
