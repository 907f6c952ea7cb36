import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { trendsController } from './controller.js'

export function trendsRoutes(deps: AppDeps): RouteSpec[] {
  const c = trendsController(deps)
  return [
    { method: 'get', path: paths.reportTrends(), action: 'reports:view', handler: c.show },
    { method: 'get', path: paths.reportTrendsDownload(), action: 'reports:export', handler: c.download },
  ]
}
