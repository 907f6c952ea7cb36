import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { caseListController } from './controller.js'
import { caseListDownloadController } from './download.js'

export function caseListRoutes(deps: AppDeps): RouteSpec[] {
  return [
    { method: 'get', path: paths.reportCases(), action: 'reports:view', handler: caseListController(deps).show },
    { method: 'get', path: paths.reportCasesDownload(), action: 'reports:export', handler: caseListDownloadController(deps).download },
  ]
}
