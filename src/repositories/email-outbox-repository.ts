import { sql } from 'kysely'
import type { EmailStatus } from '../db/schema.js'
import type { Executor } from './executor.js'

export interface NewEmail {
  organisationId: string
  id: string
  to: string
  kind: string
  subject: string
  body: string
  personalisation: Record<string, string>
  status: Extract<EmailStatus, 'pending' | 'held'>
  createdAt: Date
  dedupeKey: string | null
}

export async function insertEmail(tx: Executor, e: NewEmail): Promise<boolean> {
  const r = await tx
    .insertInto('email_outbox')
    .values({
      organisation_id: e.organisationId,
      id: e.id,
      to_address: e.to,
      kind: e.kind,
      subject: e.subject,
      body: e.body,
      personalisation: JSON.stringify(e.personalisation),
      status: e.status,
      next_attempt_at: e.createdAt,
      created_at: e.createdAt,
      dedupe_key: e.dedupeKey,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'dedupe_key']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
}

export type ClaimedEmail = Awaited<ReturnType<typeof claimDueEmails>>[number]

/**
 * Claims up to `limit` emails due for a send attempt, for `leaseMs`: rows another instance holds
 * are skipped (FOR UPDATE SKIP LOCKED), and an instance that dies mid-send lets its lease lapse so
 * the email is tried again. The attempt is counted at claim time.
 */
export async function claimDueEmails(tx: Executor, now: Date, leaseUntil: Date, limit: number) {
  const result = await sql<{
    organisation_id: string
    id: string
    to_address: string
    kind: string
    subject: string
    body: string
    personalisation: Record<string, string>
    attempts: number
  }>`
    UPDATE email_outbox SET claimed_until = ${leaseUntil}, attempts = attempts + 1
    WHERE (organisation_id, id) IN (
      SELECT organisation_id, id FROM email_outbox
      WHERE status = 'pending' AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until < ${now})
      ORDER BY next_attempt_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING organisation_id, id, to_address, kind, subject, body, personalisation, attempts`.execute(tx)
  return result.rows
}

export async function markEmailSent(db: Executor, organisationId: string, id: string, at: Date, provider: string, reference: string | null): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set({ status: 'sent', sent_at: at, provider, provider_reference: reference, claimed_until: null, last_error: null })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute()
}

/** A failed attempt: tried again at `retryAt`, or parked as failed (still kept, and retryable by an administrator). */
export async function markEmailAttemptFailed(db: Executor, organisationId: string, id: string, error: string, retryAt: Date | null, provider: string): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set({ status: retryAt ? 'pending' : 'failed', next_attempt_at: retryAt ?? sql`next_attempt_at`, last_error: error.slice(0, 500), claimed_until: null, provider })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute()
}

export async function requeueEmail(db: Executor, organisationId: string, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('email_outbox')
    .set({ status: 'pending', next_attempt_at: at, attempts: 0, claimed_until: null })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'held'])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function listEmails(db: Executor, organisationId: string, limit: number, offset: number) {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'to_address', 'kind', 'subject', 'status', 'attempts', 'created_at', 'sent_at', 'last_error'])
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function countEmails(db: Executor, organisationId: string): Promise<number> {
  const row = await db.selectFrom('email_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findEmail(db: Executor, organisationId: string, id: string) {
  return db.selectFrom('email_outbox').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()
}
