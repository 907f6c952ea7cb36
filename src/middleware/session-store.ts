import session from 'express-session'
import type { Clock } from '../context.js'
import type { Database } from '../db/connect.js'
import { deleteSession, extendSession, readSession, updateSession, writeSession } from '../repositories/session-repository.js'

type Callback = (err?: unknown, value?: any) => void

/**
 * Sessions live in Kestrel's own database in every mode, so any app instance can serve any
 * request and signing a user out everywhere is one DELETE. A session row expires at the earlier
 * of its idle and absolute limits.
 */
export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly absoluteMs: number,
  ) {
    super()
  }

  private expiresAt(data: session.SessionData): Date {
    const now = this.clock.now().getTime()
    const lastSeen = data.lastSeenAt ?? now
    const created = data.createdAt ?? now
    return new Date(Math.min(lastSeen + this.idleMs, created + this.absoluteMs))
  }

  override get(sid: string, callback: Callback): void {
    readSession(this.database.db, sid)
      .then((row) => {
        if (!row) return callback(null, null)
        const data = row.data as unknown as session.SessionData
        if (row.expires_at.getTime() > this.clock.now().getTime()) return callback(null, data)
        // Expired. A signed-in session is handed on once more so the current-user check can end
        // it properly: tell the person why they were signed out and remember where they were
        // going. It grants nothing (that check runs before every route). Anything else is gone.
        callback(null, data.userId ? data : null)
      })
      .catch(callback)
  }

  /**
   * A session read from its row is saved by updating that row, never by inserting it again: when
   * the session was ended (signed out elsewhere, password reset, deactivated) while one of its
   * requests was still running, the end stands. Only a session new in this request is inserted.
   */
  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const values = { sid, organisationId: data.organisationId ?? null, userId: data.userId ?? null, data: { ...data, stored: true }, expiresAt: this.expiresAt(data) }
    ;(data.stored ? updateSession(this.database.db, values) : writeSession(this.database.db, values))
      .then(() => callback?.())
      .catch((e) => callback?.(e))
  }

  /**
   * express-session touches every unchanged session on every request. A signed-in session's
   * expiry follows from its own lastSeenAt and createdAt, which were saved with it (lastSeenAt
   * moves once a minute, and then the session is saved, not touched), so its row already holds
   * this expiry: nothing to write. Only sessions from before sign-in roll forward here.
   */
  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    if (data.lastSeenAt !== undefined) {
      callback?.()
      return
    }
    extendSession(this.database.db, sid, this.expiresAt(data))
      .then(() => callback?.())
      .catch((e) => callback?.(e))
  }

  override destroy(sid: string, callback?: Callback): void {
    deleteSession(this.database.db, sid)
      .then(() => callback?.())
      .catch((e) => callback?.(e))
  }
}
