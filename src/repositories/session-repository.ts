import { sql } from 'kysely'
import type { StoredSessionSummary } from '../domain/own-sessions.js'
import type { Executor } from './executor.js'

/** A session row whatever its expiry: the store decides what an expired one means. */
export async function readSession(db: Executor, sid: string) {
  return db.selectFrom('http_session').select(['data', 'expires_at']).where('sid', '=', sid).executeTakeFirst()
}

export async function writeSession(
  db: Executor,
  values: { sid: string; organisationId: string | null; userId: string | null; data: unknown; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('http_session')
    .values({ sid: values.sid, organisation_id: values.organisationId, user_id: values.userId, data: JSON.stringify(values.data), expires_at: values.expiresAt })
    .onConflict((oc) =>
      oc.column('sid').doUpdateSet({
        organisation_id: values.organisationId,
        user_id: values.userId,
        data: JSON.stringify(values.data),
        expires_at: values.expiresAt,
      }),
    )
    .execute()
}

/** Saves a session that already has a row; a row deleted meanwhile stays deleted. */
export async function updateSession(db: Executor, values: { sid: string; organisationId: string | null; userId: string | null; data: unknown; expiresAt: Date }): Promise<void> {
  await db
    .updateTable('http_session')
    .set({ organisation_id: values.organisationId, user_id: values.userId, data: JSON.stringify(values.data), expires_at: values.expiresAt })
    .where('sid', '=', values.sid)
    .execute()
}

export async function extendSession(db: Executor, sid: string, expiresAt: Date): Promise<void> {
  await db.updateTable('http_session').set({ expires_at: expiresAt }).where('sid', '=', sid).execute()
}

export async function deleteSession(db: Executor, sid: string): Promise<void> {
  await db.deleteFrom('http_session').where('sid', '=', sid).execute()
}

/**
 * Ends every session a user has, at once, or every one but `exceptSid` (deactivation, resets,
 * password change, "sign out of the others"). Returns how many were still live: expired rows go
 * too, but nobody was signed in there any more.
 */
export async function deleteUserSessions(db: Executor, organisationId: string, userId: string, now: Date, exceptSid?: string): Promise<number> {
  let q = db.deleteFrom('http_session').where('organisation_id', '=', organisationId).where('user_id', '=', userId)
  if (exceptSid) q = q.where('sid', '!=', exceptSid)
  const ended = await q.returning('expires_at').execute()
  return ended.filter((r) => r.expires_at.getTime() > now.getTime()).length
}

/**
 * A person's sessions that have not expired, for their own "Your sessions" page. Only the fields
 * that page shows are read out of the session data, never the rest (an unfinished concern form).
 */
export async function listUserSessions(db: Executor, organisationId: string, userId: string, now: Date): Promise<StoredSessionSummary[]> {
  const rows = await db
    .selectFrom('http_session')
    .select([
      'sid',
      sql<string | null>`data->>'createdAt'`.as('created_at'),
      sql<string | null>`data->>'lastSeenAt'`.as('last_seen_at'),
      sql<string | null>`data->>'browser'`.as('browser'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .execute()
  const ms = (v: string | null) => (v !== null && /^\d{1,15}$/.test(v) ? Number(v) : null)
  return rows.map((r) => ({ sid: r.sid, createdAt: ms(r.created_at), lastSeenAt: ms(r.last_seen_at), browser: r.browser }))
}

/** Ends one of a user's sessions, only if it is theirs. */
export async function deleteUserSession(db: Executor, organisationId: string, userId: string, sid: string): Promise<boolean> {
  const r = await db.deleteFrom('http_session').where('organisation_id', '=', organisationId).where('user_id', '=', userId).where('sid', '=', sid).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('http_session').where('expires_at', '<=', now).executeTakeFirst()
  return Number(r.numDeletedRows)
}
