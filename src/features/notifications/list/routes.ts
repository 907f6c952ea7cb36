import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { pageFromQuery, paginationView, PAGE_SIZE } from '../../../pagination.js'
import { paths } from '../../../paths.js'
import { countNotifications, listNotifications, markAllRead } from '../../../repositories/notification-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

/** Your notifications: newest first, unread ones marked, and a button to mark them all read. */
export function notificationsRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db
  return [
    {
      method: 'get',
      path: paths.notifications(),
      action: 'notifications:use',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const page = pageFromQuery(req.query)
        const [items, total] = await Promise.all([
          listNotifications(db, ctx.user.organisationId, ctx.user.id, PAGE_SIZE, (page - 1) * PAGE_SIZE),
          countNotifications(db, ctx.user.organisationId, ctx.user.id),
        ])
        res.render('notifications/list/view.njk', {
          activeNav: 'notifications',
          items,
          total,
          unread: items.some((i) => !i.read_at),
          pagination: paginationView(page, total, (n) => `${paths.notifications()}?page=${n}`),
        })
      },
    },
    {
      method: 'post',
      path: paths.notificationsRead(),
      action: 'notifications:use',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        await db.transaction().execute(async (tx) => {
          const n = await markAllRead(tx, ctx.user.organisationId, ctx.user.id, ctx.now())
          if (n > 0) await audit(tx, ctx, { action: 'notification.read-all', details: { count: n } })
        })
        req.session.flash = { kind: 'success', text: 'All your notifications are marked as read.' }
        res.redirect(303, paths.notifications())
      },
    },
  ]
}
