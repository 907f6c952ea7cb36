import { sql } from 'kysely'
import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

/** Closure: readiness, requests, the Senior Lead Officer's decisions and reopenings (compare-and-set on the concern's version). */

export async function markReadyForClosure(tx: Executor, organisationId: string, concernId: string, expectedVersion: number, at: Date): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({ ready_for_closure_at: at, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** A Final Review that did not agree closure sends the case back to work: it must be marked ready again. */
export async function clearReadyForClosure(tx: Executor, organisationId: string, concernId: string): Promise<void> {
  await tx
    .updateTable('concern')
    .set({ ready_for_closure_at: null, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('status', '=', 'open')
    .execute()
}

export interface ClosureRequestValues {
  id: string
  requestedBy: string
  requestedAt: Date
  closingSummary: string
  sacOutcome: string | null
  riskOutcome: string | null
  mspAsked: string | null
  mspAchieved: string | null
  submissionKey: string
}

export async function findClosureRequestBySubmissionKey(db: Executor, organisationId: string, submissionKey: string) {
  return db.selectFrom('closure_request').select(['id', 'concern_id']).where('organisation_id', '=', organisationId).where('submission_key', '=', submissionKey).executeTakeFirst()
}

/** Records the request and moves the case to "closure requested", if nobody changed it since `expectedVersion`. */
export async function requestClosure(tx: Executor, organisationId: string, concernId: string, expectedVersion: number, v: ClosureRequestValues): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({
      status: 'closure_requested',
      closure_requested_at: v.requestedAt,
      closure_requested_by: v.requestedBy,
      closing_summary: v.closingSummary,
      sac_outcome: v.sacOutcome,
      risk_outcome: v.riskOutcome as 'risk_remained' | 'risk_reduced' | 'risk_removed' | null,
      msp_asked: v.mspAsked,
      msp_achieved: v.mspAchieved as 'fully' | 'partially' | 'not' | null,
      version: sql`version + 1`,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'open')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await tx
    .insertInto('closure_request')
    .values({
      organisation_id: organisationId,
      id: v.id,
      concern_id: concernId,
      requested_by: v.requestedBy,
      requested_at: v.requestedAt,
      closing_summary: v.closingSummary,
      sac_outcome: v.sacOutcome,
      risk_outcome: v.riskOutcome,
      msp_asked: v.mspAsked,
      msp_achieved: v.mspAchieved,
      submission_key: v.submissionKey,
    })
    .execute()
  return true
}

export async function findPendingClosureRequest(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('closure_request')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('concern_id', '=', concernId)
    .where('decision', 'is', null)
    .orderBy('requested_at', 'desc')
    .executeTakeFirst()
}

/** Approves: the case is closed and read-only. */
export async function approveClosure(tx: Executor, organisationId: string, concernId: string, requestId: string, expectedVersion: number, by: string, at: Date, comments: string | null): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({ status: 'closed', closed_at: at, closure_approved_by: by, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'closure_requested')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await decide(tx, organisationId, requestId, 'approved', by, at, comments)
  return true
}

/** Returns the request with comments: the case is open again; its Final Review still stands. */
export async function returnClosure(tx: Executor, organisationId: string, concernId: string, requestId: string, expectedVersion: number, by: string, at: Date, comments: string): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({ status: 'open', closure_requested_at: null, closure_requested_by: null, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'closure_requested')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await decide(tx, organisationId, requestId, 'returned', by, at, comments)
  return true
}

async function decide(tx: Executor, organisationId: string, requestId: string, decision: 'approved' | 'returned', by: string, at: Date, comments: string | null) {
  const result = await tx
    .updateTable('closure_request')
    .set({ decision, decided_by: by, decided_at: at, comments })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', requestId)
    .where('decision', 'is', null)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) throw new Error('Closure request already decided')
}

/**
 * Reopens a closed case: open again, with a new round of review before any new closure. The
 * closure answers stay on the request history; the case's current ones are cleared.
 */
export async function reopenCase(tx: Executor, organisationId: string, concernId: string, expectedVersion: number, v: { id: string; by: string; at: Date; reason: string }): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({
      status: 'open',
      closed_at: null,
      closure_approved_by: null,
      closure_requested_at: null,
      closure_requested_by: null,
      ready_for_closure_at: null,
      reopened_count: sql`reopened_count + 1`,
      version: sql`version + 1`,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'closed')
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await tx.insertInto('case_reopening').values({ organisation_id: organisationId, id: v.id, concern_id: concernId, reopened_by: v.by, reopened_at: v.at, reason: v.reason }).execute()
  return true
}

/** Closure requests waiting for a decision, oldest first, that this person may see. One query. */
export async function listClosureQueue(db: Executor, organisationId: string, viewerId: string) {
  return db
    .selectFrom('concern as c')
    .leftJoin('app_user as l', (j) => j.onRef('l.organisation_id', '=', 'c.organisation_id').onRef('l.id', '=', 'c.lead_dso_id'))
    .select(['c.id', 'c.reference', 'c.person_name', 'c.at_risk', 'c.closure_requested_at', 'c.received_at', 'l.display_name as lead_name'])
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', '=', 'closure_requested')
    .where(concernVisibleTo(viewerId))
    .orderBy('c.closure_requested_at')
    .orderBy('c.id')
    .execute()
}

/** Every closure request on a case and its decision, newest first. */
export async function listClosureHistory(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('closure_request as r')
    .innerJoin('app_user as q', (j) => j.onRef('q.organisation_id', '=', 'r.organisation_id').onRef('q.id', '=', 'r.requested_by'))
    .leftJoin('app_user as d', (j) => j.onRef('d.organisation_id', '=', 'r.organisation_id').onRef('d.id', '=', 'r.decided_by'))
    .select(['r.id', 'r.requested_at', 'r.closing_summary', 'r.decision', 'r.decided_at', 'r.comments', 'q.display_name as requested_by_name', 'd.display_name as decided_by_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.concern_id', '=', concernId)
    .orderBy('r.requested_at', 'desc')
    .execute()
}

export async function listReopenings(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('case_reopening as r')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'r.organisation_id').onRef('u.id', '=', 'r.reopened_by'))
    .select(['r.id', 'r.reopened_at', 'r.reason', 'u.display_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.concern_id', '=', concernId)
    .orderBy('r.reopened_at', 'desc')
    .execute()
}

/**
 * Everyone who added to the case record (one query, a union): past Leads, Seconds and
 * allocators, note authors, task creators, assignees and finishers, document uploaders,
 * onward-referral makers and outcome recorders, authors of manual chronology entries.
 */
export async function listCaseContributors(db: Executor, organisationId: string, concernId: string): Promise<string[]> {
  const rows = await sql<{ user_id: string | null }>`
    SELECT lead_dso_id AS user_id FROM concern_allocation WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT second_dso_id FROM concern_allocation WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT allocated_by FROM concern_allocation WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT author_id FROM case_note WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT created_by FROM case_task WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT assignee_id FROM case_task WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT completed_by FROM case_task WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT uploaded_by FROM case_document WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT created_by FROM onward_referral WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT outcome_recorded_by FROM onward_referral WHERE organisation_id = ${organisationId} AND concern_id = ${concernId}
    UNION SELECT recorded_by FROM chronology_entry WHERE organisation_id = ${organisationId} AND concern_id = ${concernId} AND kind = 'manual'
  `.execute(db)
  return rows.rows.map((r) => r.user_id).filter((id): id is string => !!id)
}

export async function countReferralsAwaitingOutcome(db: Executor, organisationId: string, concernId: string): Promise<number> {
  const row = await db
    .selectFrom('onward_referral')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('concern_id', '=', concernId)
    .where('outcome', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
