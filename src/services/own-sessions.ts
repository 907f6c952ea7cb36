import type { AppDeps, SignedInContext } from '../context.js'
import { ownSessions, sameHandle, sessionHandle, type OwnSession, type StoredSessionSummary } from '../domain/own-sessions.js'
import { deleteUserSession, deleteUserSessions, listUserSessions } from '../repositories/session-repository.js'
import { audit } from './audit.js'

/**
 * The signed-in person's own sessions ("Your sessions"), and signing out of the others. Reading
 * the list is not case data and writes no audit row; every sign-out does, in the same
 * transaction as the delete. Only the person's own sessions in their own organisation are ever
 * read or ended, and other sessions are named by a keyed hash, never by their id.
 */

const handleOf = (deps: AppDeps) => (sid: string) => sessionHandle(deps.config.sessionSecret, sid)

export async function listOwnSessions(deps: AppDeps, ctx: SignedInContext, current: StoredSessionSummary): Promise<OwnSession[]> {
  const stored = await listUserSessions(deps.database.db, ctx.user.organisationId, ctx.user.id, ctx.now())
  return ownSessions(stored, current, handleOf(deps))
}

/** Ends every other session the person has; returns how many were live. */
export async function signOutOtherSessions(deps: AppDeps, ctx: SignedInContext, currentSid: string): Promise<number> {
  return deps.database.db.transaction().execute(async (tx) => {
    const ended = await deleteUserSessions(tx, ctx.user.organisationId, ctx.user.id, ctx.now(), currentSid)
    await audit(tx, ctx, { action: 'session.sign-out-others', recordType: 'user', recordId: ctx.user.id, details: { sessions_ended: ended } })
    return ended
  })
}

/**
 * Ends one other session, named by its handle. The handle is looked up among the person's own
 * live sessions only, so a handle for anyone else's session (or this one) ends nothing.
 */
export async function signOutOneSession(deps: AppDeps, ctx: SignedInContext, currentSid: string, handle: string): Promise<boolean> {
  const toHandle = handleOf(deps)
  return deps.database.db.transaction().execute(async (tx) => {
    const mine = await listUserSessions(tx, ctx.user.organisationId, ctx.user.id, ctx.now())
    const target = mine.find((s) => s.sid !== currentSid && sameHandle(toHandle(s.sid), handle))
    const ended = target ? await deleteUserSession(tx, ctx.user.organisationId, ctx.user.id, target.sid) : false
    await audit(tx, ctx, {
      action: 'session.sign-out-other',
      outcome: ended ? 'success' : 'failure',
      recordType: 'user',
      recordId: ctx.user.id,
      details: { sessions_ended: ended ? 1 : 0 },
    })
    return ended
  })
}
