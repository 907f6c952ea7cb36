import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { importBatchController } from './controller.js'

export function importBatchRoutes(deps: AppDeps): RouteSpec[] {
  const c = importBatchController(deps)
  return [
    { method: 'get', path: paths.reportImportBatch(':id'), action: 'reports:import', handler: c.show },
    { method: 'post', path: paths.reportImportBatch(':id'), action: 'reports:import', handler: c.act },
    { method: 'get', path: paths.reportImportProblems(':id'), action: 'reports:import', handler: c.problems },
  ]
}
