import type { Request, Response } from 'express'
import type { AppDeps } from '../../context.js'
import { paths } from '../../paths.js'
import type { RouteSpec } from '../../routing.js'
import { countQueue } from '../../repositories/concern-repository.js'
import { signedIn } from '../../routing.js'
import { myWorkPanel } from './my-work-panel.js'
import { onDutyPanel } from './on-duty-panel.js'
import { loadPanels, type HomePanel } from './panels.js'
import { tasksPanel } from './tasks-panel.js'

/** Panels shown on the home page, in order (see panels.ts). */
export const HOME_PANELS: HomePanel[] = [onDutyPanel, myWorkPanel, tasksPanel]

export function homeRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.home(),
      action: 'home:view',
      handler: async (req: Request, res: Response) => {
        const user = req.ctx.user!
        const isDso = user.roles.has('dso') || user.roles.has('safeguarding_manager')
        const queueCount = isDso ? await countQueue(deps.database.db, user.organisationId, user.id) : undefined
        const panels = await loadPanels(HOME_PANELS, deps, signedIn(req))
        res.render('home/view.njk', { activeNav: 'home', queueCount, panels })
      },
    },
  ]
}
