import { sql } from 'kysely'
import type { ReviewFlag, ReviewKind, ReviewOutcome } from '../db/schema.js'
import { endOfLondonDay } from '../domain/working-days.js'
import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

/** The chronology category of review entries: a review is not activity on the case (see the agenda's 14-day rule). */
export const REVIEW_CHRONOLOGY_CATEGORY = 'Case review'

/**
 * What the agenda rules need about every open case the meeting's organiser may see, in one
 * query however many cases there are (correlated subqueries per row, no query per case).
 */
export async function agendaCandidates(db: Executor, organisationId: string, userId: string, asOf: string) {
  const asOfEnd = endOfLondonDay(asOf)
  const rows = await db
    .selectFrom('concern as c')
    .select((eb) => [
      'c.id',
      'c.reference',
      'c.status',
      'c.addressed_at',
      'c.ready_for_closure_at',
      eb
        .exists(
          eb
            .selectFrom('review_item as ri')
            .select('ri.id')
            .whereRef('ri.organisation_id', '=', 'c.organisation_id')
            .whereRef('ri.concern_id', '=', 'c.id')
            .where('ri.kind', 'in', ['first_review', 'final_review'])
            .where('ri.outcome', 'is not', null),
        )
        .as('reviewed'),
      sql<string | null>`(SELECT ri.outcome FROM review_item ri
          WHERE ri.organisation_id = c.organisation_id AND ri.concern_id = c.id AND ri.kind = 'final_review'
            AND ri.outcome IS NOT NULL AND ri.recorded_at >= c.ready_for_closure_at
          ORDER BY ri.recorded_at DESC LIMIT 1)`.as('final_outcome'),
      sql<Date | null>`GREATEST(
          (SELECT max(e.recorded_at) FROM chronology_entry e WHERE e.organisation_id = c.organisation_id AND e.concern_id = c.id AND e.category <> ${REVIEW_CHRONOLOGY_CATEGORY}),
          (SELECT max(n.created_at) FROM case_note n WHERE n.organisation_id = c.organisation_id AND n.concern_id = c.id),
          (SELECT max(GREATEST(t.created_at, t.completed_at)) FROM case_task t WHERE t.organisation_id = c.organisation_id AND t.concern_id = c.id AND t.review_item_id IS NULL),
          (SELECT max(d.uploaded_at) FROM case_document d WHERE d.organisation_id = c.organisation_id AND d.concern_id = c.id),
          (SELECT max(GREATEST(r.created_at, r.outcome_recorded_at)) FROM onward_referral r WHERE r.organisation_id = c.organisation_id AND r.concern_id = c.id),
          c.addressed_at)`.as('last_activity_at'),
      sql<number>`(SELECT count(*) FROM case_task t WHERE t.organisation_id = c.organisation_id AND t.concern_id = c.id
          AND t.due_on < ${asOf} AND (t.completed_at IS NULL OR t.completed_at > ${asOfEnd}))`.as('overdue_tasks'),
      sql<number>`(SELECT count(*) FROM onward_referral r WHERE r.organisation_id = c.organisation_id AND r.concern_id = c.id
          AND r.follow_up_on < ${asOf} AND (r.outcome IS NULL OR r.outcome_recorded_at > ${asOfEnd}))`.as('overdue_follow_ups'),
    ])
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', '=', 'open')
    .where(concernVisibleTo(userId))
    .execute()
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    status: r.status,
    addressedAt: r.addressed_at,
    readyForClosureAt: r.ready_for_closure_at,
    reviewed: Boolean(r.reviewed),
    finalReviewAgreed: r.final_outcome === 'agreed',
    lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at) : null,
    overdueTasks: Number(r.overdue_tasks),
    overdueFollowUps: Number(r.overdue_follow_ups),
  }))
}

export async function latestMeetingDate(db: Executor, organisationId: string, before?: string): Promise<string | null> {
  let q = db.selectFrom('review_meeting').select('meeting_date').where('organisation_id', '=', organisationId)
  if (before) q = q.where('meeting_date', '<', before)
  const row = await q.orderBy('meeting_date', 'desc').limit(1).executeTakeFirst()
  return row?.meeting_date ?? null
}

export async function insertMeeting(tx: Executor, m: { organisationId: string; id: string; meetingDate: string; createdBy: string; createdAt: Date; submissionKey: string; attendeeIds: readonly string[] }): Promise<'created' | 'duplicate_key' | 'date_taken'> {
  const existing = await tx.selectFrom('review_meeting').select(['id', 'submission_key']).where('organisation_id', '=', m.organisationId).where((eb) => eb.or([eb('submission_key', '=', m.submissionKey), eb('meeting_date', '=', m.meetingDate)])).execute()
  if (existing.some((e) => e.submission_key === m.submissionKey)) return 'duplicate_key'
  if (existing.length) return 'date_taken'
  await tx
    .insertInto('review_meeting')
    .values({ organisation_id: m.organisationId, id: m.id, meeting_date: m.meetingDate, created_by: m.createdBy, created_at: m.createdAt, submission_key: m.submissionKey })
    .execute()
  if (m.attendeeIds.length) {
    await tx
      .insertInto('review_meeting_attendee')
      .values(m.attendeeIds.map((userId) => ({ organisation_id: m.organisationId, meeting_id: m.id, user_id: userId })))
      .execute()
  }
  return 'created'
}

export async function findMeetingBySubmissionKey(db: Executor, organisationId: string, submissionKey: string) {
  return db.selectFrom('review_meeting').select(['id']).where('organisation_id', '=', organisationId).where('submission_key', '=', submissionKey).executeTakeFirst()
}

export async function insertAgendaItems(tx: Executor, organisationId: string, meetingId: string, items: readonly { id: string; concernId: string; kind: ReviewKind; flags: ReviewFlag[]; position: number }[]) {
  if (!items.length) return
  await tx
    .insertInto('review_item')
    .values(items.map((i) => ({ organisation_id: organisationId, id: i.id, meeting_id: meetingId, concern_id: i.concernId, kind: i.kind, flags: sql<ReviewFlag[]>`${sql.val(i.flags)}::text[]`, position: i.position })))
    .onConflict((oc) => oc.columns(['organisation_id', 'meeting_id', 'concern_id']).doNothing())
    .execute()
}

/**
 * Meetings newest first, with how many cases each discussed and how many outcomes are recorded —
 * counting only cases the viewer may see (a restricted case is not even counted). One query.
 */
export async function listMeetings(db: Executor, organisationId: string, viewerId: string, limit: number, offset: number) {
  return db
    .selectFrom('review_meeting as m')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('review_item as i')
          .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'i.organisation_id').onRef('c.id', '=', 'i.concern_id'))
          .select(['i.organisation_id', 'i.meeting_id', 'i.id', 'i.outcome'])
          .where('i.organisation_id', '=', organisationId)
          .where(concernVisibleTo(viewerId))
          .as('i'),
      (j) => j.onRef('i.organisation_id', '=', 'm.organisation_id').onRef('i.meeting_id', '=', 'm.id'),
    )
    .select((eb) => [
      'm.id',
      'm.meeting_date',
      'm.completed_at',
      eb.fn.count<number>('i.id').as('items'),
      eb.fn.count<number>('i.outcome').as('recorded'),
    ])
    .where('m.organisation_id', '=', organisationId)
    .groupBy(['m.id', 'm.meeting_date', 'm.completed_at'])
    .orderBy('m.meeting_date', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function countMeetings(db: Executor, organisationId: string): Promise<number> {
  const row = await db.selectFrom('review_meeting').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findMeeting(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('review_meeting as m')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'm.organisation_id').onRef('u.id', '=', 'm.created_by'))
    .leftJoin('app_user as cu', (j) => j.onRef('cu.organisation_id', '=', 'm.organisation_id').onRef('cu.id', '=', 'm.completed_by'))
    .select(['m.id', 'm.meeting_date', 'm.created_at', 'm.completed_at', 'm.version', 'u.display_name as created_by_name', 'cu.display_name as completed_by_name'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.id', '=', id)
    .executeTakeFirst()
}

export async function listAttendees(db: Executor, organisationId: string, meetingId: string) {
  return db
    .selectFrom('review_meeting_attendee as a')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'a.organisation_id').onRef('u.id', '=', 'a.user_id'))
    .select(['u.id', 'u.display_name'])
    .where('a.organisation_id', '=', organisationId)
    .where('a.meeting_id', '=', meetingId)
    .orderBy('u.display_name')
    .execute()
}

/**
 * A meeting's agenda in order, with each case's reference, person and Lead DSO and any actions
 * set (as tasks). Items on restricted cases the viewer is not named on are left out. Two queries
 * for the whole agenda: the items, and the tasks they created.
 */
export async function listMeetingItems(db: Executor, organisationId: string, meetingId: string, viewerId: string) {
  const items = await db
    .selectFrom('review_item as i')
    .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'i.organisation_id').onRef('c.id', '=', 'i.concern_id'))
    .leftJoin('app_user as l', (j) => j.onRef('l.organisation_id', '=', 'c.organisation_id').onRef('l.id', '=', 'c.lead_dso_id'))
    .leftJoin('app_user as r', (j) => j.onRef('r.organisation_id', '=', 'i.organisation_id').onRef('r.id', '=', 'i.recorded_by'))
    .select([
      'i.id',
      'i.concern_id',
      'i.kind',
      'i.flags',
      'i.position',
      'i.outcome',
      'i.notes',
      'i.recorded_at',
      'i.version',
      'c.reference',
      'c.person_name',
      'c.status',
      'c.addressed_at',
      'l.display_name as lead_name',
      'r.display_name as recorded_by_name',
    ])
    .where('i.organisation_id', '=', organisationId)
    .where('i.meeting_id', '=', meetingId)
    .where(concernVisibleTo(viewerId))
    .orderBy('i.position')
    .execute()
  const ids = items.map((i) => i.id)
  const actions = ids.length
    ? await db
        .selectFrom('case_task as t')
        .innerJoin('app_user as a', (j) => j.onRef('a.organisation_id', '=', 't.organisation_id').onRef('a.id', '=', 't.assignee_id'))
        .select(['t.review_item_id', 't.title', 't.due_on', 't.completed_at', 'a.display_name as assignee_name'])
        .where('t.organisation_id', '=', organisationId)
        .where('t.review_item_id', 'in', ids)
        .orderBy('t.created_at')
        .orderBy('t.id')
        .execute()
    : []
  return items.map((i) => ({ ...i, actions: actions.filter((a) => a.review_item_id === i.id) }))
}

export async function findMeetingItem(db: Executor, organisationId: string, meetingId: string, itemId: string, viewerId: string) {
  return db
    .selectFrom('review_item as i')
    .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'i.organisation_id').onRef('c.id', '=', 'i.concern_id'))
    .select(['i.id', 'i.concern_id', 'i.kind', 'i.flags', 'i.outcome', 'i.notes', 'i.recorded_at', 'i.recorded_by', 'i.version', 'c.reference', 'c.person_name', 'c.status', 'c.lead_dso_id', 'c.ready_for_closure_at'])
    .where('i.organisation_id', '=', organisationId)
    .where('i.meeting_id', '=', meetingId)
    .where('i.id', '=', itemId)
    .where(concernVisibleTo(viewerId))
    .executeTakeFirst()
}

export async function recordItemOutcome(tx: Executor, organisationId: string, itemId: string, expectedVersion: number, outcome: ReviewOutcome, notes: string | null, by: string, at: Date): Promise<boolean> {
  const result = await tx
    .updateTable('review_item')
    .set({ outcome, notes, recorded_by: by, recorded_at: at, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', itemId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function completeMeeting(tx: Executor, organisationId: string, meetingId: string, expectedVersion: number, by: string, at: Date): Promise<boolean> {
  const result = await tx
    .updateTable('review_meeting')
    .set({ completed_at: at, completed_by: by, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', meetingId)
    .where('version', '=', expectedVersion)
    .where('completed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Bumps a meeting's version: its agenda changed (rebuilt), so forms opened before are stale. */
export async function touchMeeting(tx: Executor, organisationId: string, meetingId: string, expectedVersion: number): Promise<boolean> {
  const result = await tx
    .updateTable('review_meeting')
    .set({ version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', meetingId)
    .where('version', '=', expectedVersion)
    .where('completed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function maxItemPosition(db: Executor, organisationId: string, meetingId: string): Promise<number> {
  const row = await db.selectFrom('review_item').select((eb) => eb.fn.max<number>('position').as('p')).where('organisation_id', '=', organisationId).where('meeting_id', '=', meetingId).executeTakeFirst()
  return Number(row?.p ?? 0)
}

/** Unrecorded agenda lines (candidates for removal when the agenda is rebuilt). */
export async function unrecordedItems(db: Executor, organisationId: string, meetingId: string) {
  return db.selectFrom('review_item').select(['id', 'concern_id', 'kind']).where('organisation_id', '=', organisationId).where('meeting_id', '=', meetingId).where('outcome', 'is', null).execute()
}

export async function allItemConcernIds(db: Executor, organisationId: string, meetingId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('review_item').select('concern_id').where('organisation_id', '=', organisationId).where('meeting_id', '=', meetingId).execute()
  return new Set(rows.map((r) => r.concern_id))
}

/** A case's reviews at every meeting, newest first (the Reviews tab). One query. */
export async function listCaseReviews(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('review_item as i')
    .innerJoin('review_meeting as m', (j) => j.onRef('m.organisation_id', '=', 'i.organisation_id').onRef('m.id', '=', 'i.meeting_id'))
    .leftJoin('app_user as r', (j) => j.onRef('r.organisation_id', '=', 'i.organisation_id').onRef('r.id', '=', 'i.recorded_by'))
    .select(['i.id', 'i.meeting_id', 'i.kind', 'i.flags', 'i.outcome', 'i.notes', 'i.recorded_at', 'm.meeting_date', 'r.display_name as recorded_by_name'])
    .where('i.organisation_id', '=', organisationId)
    .where('i.concern_id', '=', concernId)
    .orderBy('m.meeting_date', 'desc')
    .execute()
}

/** The Final Reviews recorded for a case (for the closure rules). */
export async function listFinalReviews(db: Executor, organisationId: string, concernId: string) {
  const rows = await db
    .selectFrom('review_item')
    .select(['outcome', 'recorded_at'])
    .where('organisation_id', '=', organisationId)
    .where('concern_id', '=', concernId)
    .where('kind', '=', 'final_review')
    .where('outcome', 'is not', null)
    .execute()
  return rows.map((r) => ({ outcome: r.outcome!, recordedAt: r.recorded_at! }))
}

/** Removes agenda lines nobody discussed (rebuilding an agenda before the meeting). */
export async function deleteItems(tx: Executor, organisationId: string, ids: readonly string[]) {
  if (!ids.length) return
  await tx.deleteFrom('review_item').where('organisation_id', '=', organisationId).where('id', 'in', ids).where('outcome', 'is', null).execute()
}

/** People who may attend: active DSOs, managers and Senior Lead Officers. */
export async function listPossibleAttendees(db: Executor, organisationId: string) {
  return db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.display_name'])
    .where('u.organisation_id', '=', organisationId)
    .where('u.active', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role as r')
          .select('r.user_id')
          .whereRef('r.organisation_id', '=', 'u.organisation_id')
          .whereRef('r.user_id', '=', 'u.id')
          .where('r.role', 'in', ['dso', 'safeguarding_manager', 'senior_lead_officer']),
      ),
    )
    .orderBy('u.display_name')
    .execute()
}
