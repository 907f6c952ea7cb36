import type { Executor } from './executor.js'

export interface NewNotification {
  organisationId: string
  id: string
  userId: string
  kind: string
  concernId: string | null
  text: string
  href: string | null
  createdAt: Date
  dedupeKey: string | null
}

/** Inserts unless a notification with the same dedupe key exists (a job that ran twice). */
export async function insertNotification(tx: Executor, n: NewNotification): Promise<boolean> {
  const r = await tx
    .insertInto('notification')
    .values({ organisation_id: n.organisationId, id: n.id, user_id: n.userId, kind: n.kind, concern_id: n.concernId, text: n.text, href: n.href, created_at: n.createdAt, dedupe_key: n.dedupeKey })
    .onConflict((oc) => oc.columns(['organisation_id', 'dedupe_key']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
}

export async function listNotifications(db: Executor, organisationId: string, userId: string, limit: number, offset: number) {
  return db
    .selectFrom('notification')
    .select(['id', 'kind', 'text', 'href', 'created_at', 'read_at', 'concern_id'])
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function countNotifications(db: Executor, organisationId: string, userId: string): Promise<number> {
  const row = await db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).where('user_id', '=', userId).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function markAllRead(tx: Executor, organisationId: string, userId: string, at: Date): Promise<number> {
  const r = await tx.updateTable('notification').set({ read_at: at }).where('organisation_id', '=', organisationId).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows)
}
