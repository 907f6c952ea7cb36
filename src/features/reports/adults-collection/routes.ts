import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { adultsCollectionController } from './controller.js'

export function adultsCollectionRoutes(deps: AppDeps): RouteSpec[] {
  const c = adultsCollectionController(deps)
  return [
    { method: 'get', path: paths.reportAdultsCollection(), action: 'reports:view', handler: c.show },
    { method: 'get', path: paths.reportAdultsCollectionDownload(), action: 'reports:export', handler: c.download },
  ]
}
