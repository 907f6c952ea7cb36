import type { AppDeps } from '../../context.js'
import type { RouteSpec } from '../../routing.js'
import { adultsCollectionRoutes } from './adults-collection/routes.js'
import { caseListRoutes } from './cases/routes.js'
import { committeeRoutes } from './committee/routes.js'
import { dashboardRoutes } from './dashboard/routes.js'
import { importBatchRoutes } from './import-batch/routes.js'
import { importRoutes } from './import/routes.js'
import { scorecardRoutes } from './scorecard/routes.js'
import { reportSettingsRoutes } from './settings/routes.js'
import { trendsRoutes } from './trends/routes.js'

/** Every reporting page, fixed paths before parameterised ones. */
export function reportRoutes(deps: AppDeps): RouteSpec[] {
  return [...dashboardRoutes(deps), ...caseListRoutes(deps), ...scorecardRoutes(deps), ...adultsCollectionRoutes(deps), ...trendsRoutes(deps), ...committeeRoutes(deps), ...reportSettingsRoutes(deps), ...importRoutes(deps), ...importBatchRoutes(deps)]
}
