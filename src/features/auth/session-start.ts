import type { Request } from 'express'
import { describeBrowser } from '../../domain/own-sessions.js'
import { paths } from '../../paths.js'

function regenerate(req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())))
}

function save(req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())))
}

/**
 * Signs the person in: a new session id (whatever id the visitor had before is discarded, so a
 * planted id is useless) carrying who they are. Returns where to send them next.
 */
export async function startSignedInSession(req: Request, user: { id: string; organisation_id: string; must_change_password: boolean }, returnTo: string): Promise<string> {
  await regenerate(req)
  const now = req.ctx.now().getTime()
  req.session.userId = user.id
  req.session.organisationId = user.organisation_id
  req.session.createdAt = now
  req.session.confirmedAt = now
  req.session.lastSeenAt = now
  // For the person's own list of sessions: a few fixed words, not the header (no fingerprint kept).
  req.session.browser = describeBrowser(req.get('user-agent'))
  // A temporary password comes first; the page they asked for waits until it is changed.
  if (user.must_change_password && returnTo !== paths.home()) req.session.returnTo = returnTo
  await save(req)
  return user.must_change_password ? paths.changePassword() : returnTo
}

/**
 * The password was right and the person has an authenticator: a new session that only says
 * who is half-way through signing in. It grants nothing until the code is given.
 */
export async function startSecondFactor(req: Request, user: { id: string; organisation_id: string }, returnTo: string): Promise<void> {
  await regenerate(req)
  const now = req.ctx.now().getTime()
  req.session.mfaPending = { userId: user.id, organisationId: user.organisation_id, startedAt: now, returnTo }
  req.session.createdAt = now
  req.session.lastSeenAt = now
  await save(req)
}
