import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { scorecardController } from './controller.js'

export function scorecardRoutes(deps: AppDeps): RouteSpec[] {
  const c = scorecardController(deps)
  return [
    { method: 'get', path: paths.reportScorecard(), action: 'reports:view', handler: c.show },
    { method: 'get', path: paths.reportScorecardDownload(), action: 'reports:export', handler: c.download },
  ]
}
