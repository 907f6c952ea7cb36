import type { NextFunction, Request, Response } from 'express'
import type { AppDeps, CurrentUser } from '../context.js'
import { holdsMfaRole, mustEnrolMfa } from '../domain/mfa.js'
import type { AppRole } from '../domain/roles.js'
import { findSessionUser } from '../repositories/session-user-repository.js'
import { paths } from '../paths.js'

const LAST_SEEN_GRANULARITY_MS = 60_000

/**
 * Loads the signed-in user from the database on every request (one statement), so a removed
 * role, a deactivated account or a newly required authenticator takes effect on the very next
 * request. Enforces the idle and absolute session limits against the app's clock.
 */
export function currentUser(deps: AppDeps) {
  const { config } = deps
  return async (req: Request, res: Response, next: NextFunction) => {
    const s = req.session
    if (!s?.userId || !s.organisationId) return next()

    const now = req.ctx.now().getTime()
    const idle = now - (s.lastSeenAt ?? 0) > config.sessionIdleMs
    const expired = now - (s.createdAt ?? 0) > config.sessionAbsoluteMs
    const user = idle || expired ? undefined : await findSessionUser(deps.database.db, s.organisationId, s.userId)

    if (!user || !user.active) {
      const reason = idle ? 'idle' : expired ? 'absolute' : 'deactivated'
      await new Promise<void>((resolve, reject) => s.regenerate((e) => (e ? reject(e) : resolve())))
      req.session.signedOutReason = reason
      if (req.method === 'GET') req.session.returnTo = safeReturnTo(req.originalUrl)
      return res.redirect(303, paths.signIn())
    }

    const roles = new Set<AppRole>(['staff', ...user.roles])
    const current: CurrentUser = {
      id: user.id,
      organisationId: user.organisation_id,
      organisationName: user.organisation_name,
      email: user.email,
      displayName: user.display_name,
      serviceId: user.service_id,
      roles,
      mustChangePassword: user.must_change_password,
    }
    if (holdsMfaRole(roles)) current.mfaSetupRequired = mustEnrolMfa(roles, user.mfa_required, user.mfa_enrolled)
    req.ctx.user = current
    res.locals.user = current
    // The count in every page's header.
    if (req.method === 'GET') res.locals.unreadNotifications = Number(user.unread_notifications)
    if (now - (s.lastSeenAt ?? 0) >= LAST_SEEN_GRANULARITY_MS) s.lastSeenAt = now
    next()
  }
}

/** Only same-site paths, never protocol-relative or absolute URLs. */
export function safeReturnTo(url: string | undefined): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\')) return paths.home()
  return url.length > 500 ? paths.home() : url
}
