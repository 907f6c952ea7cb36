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

export async function extendSession(db: Executor, sid: string, expiresAt: Date): Promise<void> {
  await db.updateTable('http_session').set({ expires_at: expiresAt }).where('sid', '=', sid).execute()
}

export async function deleteSession(db: Executor, sid: string): Promise<void> {
  await db.deleteFrom('http_session').where('sid', '=', sid).execute()
}

/** Ends every session a user has, at once (deactivation, password change). */
export async function deleteUserSessions(db: Executor, organisationId: string, userId: string, exceptSid?: string): Promise<number> {
  let q = db.deleteFrom('http_session').where('organisation_id', '=', organisationId).where('user_id', '=', userId)
  if (exceptSid) q = q.where('sid', '!=', exceptSid)
  const r = await q.executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('http_session').where('expires_at', '<=', now).executeTakeFirst()
  return Number(r.numDeletedRows)
}
