import { sql, type ExpressionBuilder } from 'kysely'
import type { ConcernStatus, ConcernTable, DB, NewConcern } from '../db/schema.js'
import type { Executor } from './executor.js'

/**
 * Restricted concerns exist only for the people named on them. Every team-facing query that
 * lists, counts, searches or loads concerns (aliased `c`) must apply this: invisible records are
 * absent, not forbidden. (A referrer's view of their own submission does not go through it.)
 */
export function concernVisibleTo(userId: string, options: { breakGlassAt?: Date } = {}) {
  return (eb: ExpressionBuilder<DB & { c: ConcernTable }, 'c'>) =>
    eb.or([
      eb('c.restricted', '=', false),
      eb.exists(
        eb
          .selectFrom('concern_access as ca')
          .select('ca.user_id')
          .whereRef('ca.organisation_id', '=', 'c.organisation_id')
          .whereRef('ca.concern_id', '=', 'c.id')
          .where('ca.user_id', '=', userId),
      ),
      // Break glass (a manager gave a reason to open it) opens the case itself, never lists or counts.
      ...(options.breakGlassAt
        ? [
            eb.exists(
              eb
                .selectFrom('break_glass_access as bg')
                .select('bg.id')
                .whereRef('bg.organisation_id', '=', 'c.organisation_id')
                .whereRef('bg.concern_id', '=', 'c.id')
                .where('bg.user_id', '=', userId)
                .where('bg.opened_at', '<=', options.breakGlassAt)
                .where('bg.expires_at', '>', options.breakGlassAt),
            ),
          ]
        : []),
    ])
}

/** Takes the next number in the organisation's sequence for a year (row-locked, so never twice). */
export async function nextReferenceNumber(tx: Executor, organisationId: string, year: number): Promise<number> {
  const row = await tx
    .insertInto('reference_counter')
    .values({ organisation_id: organisationId, year, last_value: 1 })
    .onConflict((oc) => oc.columns(['organisation_id', 'year']).doUpdateSet({ last_value: sql`reference_counter.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow()
  return row.last_value
}

export async function findConcernBySubmissionKey(db: Executor, organisationId: string, submissionKey: string) {
  return db
    .selectFrom('concern')
    .select(['id', 'reference', 'referrer_user_id'])
    .where('organisation_id', '=', organisationId)
    .where('submission_key', '=', submissionKey)
    .executeTakeFirst()
}

/**
 * Inserts a concern unless one with the same submission key exists (a double submit).
 * Returns the id of the row that holds that key either way.
 */
export async function insertConcern(tx: Executor, concern: NewConcern): Promise<{ id: string; created: boolean }> {
  const inserted = await tx
    .insertInto('concern')
    .values(concern)
    .onConflict((oc) => oc.columns(['organisation_id', 'submission_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) return { id: inserted.id, created: true }
  const existing = await findConcernBySubmissionKey(tx, concern.organisation_id, concern.submission_key)
  if (!existing) throw new Error('Concern insert conflicted but no row holds the key')
  return { id: existing.id, created: false }
}

export function concernDetailQuery(db: Executor, organisationId: string) {
  return db
    .selectFrom('concern as c')
    .innerJoin('app_user as r', (j) => j.onRef('r.organisation_id', '=', 'c.organisation_id').onRef('r.id', '=', 'c.referrer_user_id'))
    .innerJoin('service as s', (j) => j.onRef('s.organisation_id', '=', 'c.organisation_id').onRef('s.id', '=', 'c.referrer_service_id'))
    .selectAll('c')
    .select(['r.display_name as referrer_name', 'r.email as referrer_email', 's.name as referrer_service_name'])
    .where('c.organisation_id', '=', organisationId)
}

/** Any concern by id, ignoring restriction: only for the referrer's own views and internal use. */
export async function findConcern(db: Executor, organisationId: string, id: string) {
  return concernDetailQuery(db, organisationId).where('c.id', '=', id).executeTakeFirst()
}

/**
 * A concern as the safeguarding team sees it: undefined when restricted and the user is not named
 * on it. Pass `now` from a case page so a manager's break-glass opening (still in force) counts.
 */
export async function findVisibleConcern(db: Executor, organisationId: string, id: string, userId: string, now?: Date) {
  return concernDetailQuery(db, organisationId).where('c.id', '=', id).where(concernVisibleTo(userId, { breakGlassAt: now })).executeTakeFirst()
}

export type ConcernDetail = NonNullable<Awaited<ReturnType<typeof findConcern>>>

/** A referrer's own concerns: only what they may see (no decision or case fields). */
export async function listOwnConcerns(db: Executor, organisationId: string, userId: string, limit: number, offset: number) {
  return db
    .selectFrom('concern')
    .select(['id', 'reference', 'received_at', 'status', 'person_name'])
    .where('organisation_id', '=', organisationId)
    .where('referrer_user_id', '=', userId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function countOwnConcerns(db: Executor, organisationId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('concern')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('referrer_user_id', '=', userId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export const UNADDRESSED: ConcernStatus[] = ['submitted', 'allocated']

/** The new-concerns queue: not yet addressed, most urgent first. One query whatever the length. */
export async function listQueue(db: Executor, organisationId: string, userId: string, limit: number, offset: number) {
  return db
    .selectFrom('concern as c')
    .innerJoin('service as s', (j) => j.onRef('s.organisation_id', '=', 'c.organisation_id').onRef('s.id', '=', 'c.referrer_service_id'))
    // Allocated but undecided concerns stay on the queue, with who is leading them.
    .leftJoin('app_user as lead', (j) => j.onRef('lead.organisation_id', '=', 'c.organisation_id').onRef('lead.id', '=', 'c.lead_dso_id'))
    .select([
      'lead.display_name as lead_name',
      'c.id',
      'c.reference',
      'c.received_at',
      'c.due_at',
      'c.status',
      'c.at_risk',
      'c.person_name',
      'c.person_date_of_birth',
      'c.person_age_years',
      'c.concern_types',
      'c.immediate_danger',
      's.name as service_name',
    ])
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', 'in', UNADDRESSED)
    .where('c.addressed_at', 'is', null)
    .where(concernVisibleTo(userId))
    .orderBy('c.due_at')
    .orderBy('c.received_at')
    .orderBy('c.id')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function countQueue(db: Executor, organisationId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('concern as c')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', 'in', UNADDRESSED)
    .where('c.addressed_at', 'is', null)
    .where(concernVisibleTo(userId))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listUnaddressedForDeadline(db: Executor, organisationId: string) {
  return db
    .selectFrom('concern')
    .select(['id', 'received_at', 'due_at'])
    .where('organisation_id', '=', organisationId)
    .where('addressed_at', 'is', null)
    .where('status', 'in', UNADDRESSED)
    .execute()
}

export async function setDueAt(db: Executor, organisationId: string, id: string, dueAt: Date): Promise<void> {
  await db.updateTable('concern').set({ due_at: dueAt }).where('organisation_id', '=', organisationId).where('id', '=', id).execute()
}
