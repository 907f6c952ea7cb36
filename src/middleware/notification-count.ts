import type { NextFunction, Request, Response } from 'express'
import type { AppDeps } from '../context.js'
import { countUnread } from '../repositories/notification-repository.js'

/** The unread notifications count in the header of every page (one indexed count). */
export function notificationCount(deps: AppDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const user = req.ctx?.user
    if (user && req.method === 'GET') res.locals.unreadNotifications = await countUnread(deps.database.db, user.organisationId, user.id)
    next()
  }
}
