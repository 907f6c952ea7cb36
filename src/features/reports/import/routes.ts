import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { importController } from './controller.js'
import { importTemplateController } from './template.js'

export function importRoutes(deps: AppDeps): RouteSpec[] {
  const c = importController(deps)
  return [
    { method: 'get', path: paths.reportImport(), action: 'reports:import', handler: c.show },
    { method: 'post', path: paths.reportImport(), action: 'reports:import', handler: c.upload },
    { method: 'get', path: paths.reportImportTemplate(), action: 'reports:import', handler: importTemplateController(deps).download },
  ]
}
