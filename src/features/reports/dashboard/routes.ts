import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { dashboardController } from './controller.js'
import { dashboardDownloadController } from './download.js'

export function dashboardRoutes(deps: AppDeps): RouteSpec[] {
  const page = dashboardController(deps)
  const download = dashboardDownloadController(deps)
  return [
    { method: 'get', path: paths.reports(), action: 'reports:view', handler: page.show },
    { method: 'get', path: paths.reportDownload(), action: 'reports:export', handler: download.download },
  ]
}
