import { sql } from 'kysely'
import type { IsoDate } from '../db/schema.js'
import { DEFAULT_RETENTION, type RetentionRules } from '../domain/retention.js'
import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

/** Retention settings, legal holds and disposals (domain/retention.ts). */

export interface RetentionSettings {
  rules: RetentionRules
  paused: boolean
  pausedReason: string | null
  version: number
}

export async function retentionSettings(db: Executor, organisationId: string): Promise<RetentionSettings> {
  const row = await db.selectFrom('retention_setting').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst()
  if (!row) return { rules: DEFAULT_RETENTION, paused: false, pausedReason: null, version: 0 }
  return {
    rules: { adultYearsAfterClosure: row.adult_years_after_closure, childUntilAge: row.child_until_age, childYearsAfterClosure: row.child_years_after_closure },
    paused: row.disposal_paused,
    pausedReason: row.paused_reason,
    version: row.version,
  }
}

/** Saves the settings if nobody has changed them since `expectedVersion` (0: never saved); false otherwise. */
export async function saveRetentionSettings(
  tx: Executor,
  organisationId: string,
  expectedVersion: number,
  values: { rules: RetentionRules; paused: boolean; pausedReason: string | null; by: string; at: Date },
): Promise<boolean> {
  const columns = {
    adult_years_after_closure: values.rules.adultYearsAfterClosure,
    child_until_age: values.rules.childUntilAge,
    child_years_after_closure: values.rules.childYearsAfterClosure,
    disposal_paused: values.paused,
    paused_reason: values.pausedReason,
    updated_by: values.by,
    updated_at: values.at,
  }
  if (expectedVersion === 0) {
    const inserted = await tx
      .insertInto('retention_setting')
      .values({ organisation_id: organisationId, ...columns })
      .onConflict((oc) => oc.column('organisation_id').doNothing())
      .returning('version')
      .executeTakeFirst()
    return inserted !== undefined
  }
  const updated = await tx
    .updateTable('retention_setting')
    .set({ ...columns, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1
}

export interface LegalHold {
  id: string
  reason: string
  placed_by_name: string
  placed_at: Date
}

export async function activeLegalHold(db: Executor, organisationId: string, concernId: string): Promise<LegalHold | undefined> {
  return db
    .selectFrom('legal_hold as h')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'h.organisation_id').onRef('u.id', '=', 'h.placed_by'))
    .select(['h.id', 'h.reason', 'u.display_name as placed_by_name', 'h.placed_at'])
    .where('h.organisation_id', '=', organisationId)
    .where('h.concern_id', '=', concernId)
    .where('h.lifted_at', 'is', null)
    .executeTakeFirst()
}

/** Places a hold unless one is already in force (false then). */
export async function insertLegalHold(tx: Executor, organisationId: string, hold: { id: string; concernId: string; reason: string; by: string; at: Date }): Promise<boolean> {
  const row = await tx
    .insertInto('legal_hold')
    .values({ organisation_id: organisationId, id: hold.id, concern_id: hold.concernId, reason: hold.reason, placed_by: hold.by, placed_at: hold.at })
    .onConflict((oc) => oc.columns(['organisation_id', 'concern_id']).where('lifted_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** Lifts the hold in force if it is still `holdId` (false when it was lifted or replaced meanwhile). */
export async function liftLegalHold(tx: Executor, organisationId: string, concernId: string, holdId: string, lift: { reason: string; by: string; at: Date }): Promise<boolean> {
  const result = await tx
    .updateTable('legal_hold')
    .set({ lifted_by: lift.by, lifted_at: lift.at, lift_reason: lift.reason })
    .where('organisation_id', '=', organisationId)
    .where('concern_id', '=', concernId)
    .where('id', '=', holdId)
    .where('lifted_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** The London calendar date of a timestamp column, as reports count it. */
const londonDay = (column: string) => sql<IsoDate>`(${sql.ref(column)} AT TIME ZONE 'Europe/London')::date`

/**
 * The first day a closed case may be disposed of, in SQL: the same rule as `retentionDue` in
 * domain/retention.ts (NULL when a child's birth cannot be worked out).
 */
function dueOnSql(rules: RetentionRules) {
  const received = londonDay('c.received_at')
  const closed = londonDay('c.closed_at')
  const years = (n: number) => sql`make_interval(years => ${n}::int)`
  const birth = sql`CASE WHEN c.person_date_of_birth IS NOT NULL THEN c.person_date_of_birth
    WHEN c.at_risk = 'unborn' THEN (${received} + interval '1 year')::date
    WHEN c.person_age_years IS NOT NULL THEN (${received} - make_interval(years => c.person_age_years))::date END`
  return sql<IsoDate | null>`CASE WHEN c.at_risk = 'adult' THEN (${closed} + ${years(rules.adultYearsAfterClosure)})::date
    WHEN (${birth}) IS NULL THEN NULL
    ELSE GREATEST((${closed} + ${years(rules.childYearsAfterClosure)})::date, ((${birth}) + ${years(rules.childUntilAge)})::date) END`
}

/** Closed, not disposed, and closed long enough ago that the shorter rule could have passed. */
function retainedCases(db: Executor, organisationId: string, rules: RetentionRules, today: IsoDate) {
  const shortest = Math.min(rules.adultYearsAfterClosure, rules.childYearsAfterClosure)
  return db
    .selectFrom('concern as c')
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', '=', 'closed')
    .where('c.disposed_at', 'is', null)
    .where('c.closed_at', 'is not', null)
    .where('c.closed_at', '<', sql<Date>`(${today}::date - make_interval(years => ${shortest}::int) + interval '1 day')::timestamptz`)
}

const heldSql = sql<boolean>`EXISTS (SELECT 1 FROM legal_hold h WHERE h.organisation_id = c.organisation_id AND h.concern_id = c.id AND h.lifted_at IS NULL)`

export interface DueRecord {
  id: string
  reference: string
  at_risk: string
  received_at: Date
  closed_at: Date
  due_on: IsoDate
  disposal_id: string | null
  proposed_by: string | null
  proposed_by_name: string | null
  proposed_at: Date | null
  disposal_version: number | null
}

/** Cases this person may see whose retention has ended, not on hold, oldest first, with any proposal. */
export async function dueRecords(db: Executor, organisationId: string, userId: string, rules: RetentionRules, today: IsoDate, limit: number): Promise<DueRecord[]> {
  const rows = await db
    .with('due', () =>
      retainedCases(db, organisationId, rules, today)
        .where(concernVisibleTo(userId))
        .where(sql<boolean>`NOT ${heldSql}`)
        .select(['c.id', 'c.reference', 'c.at_risk', 'c.received_at', 'c.closed_at', dueOnSql(rules).as('due_on')]),
    )
    .selectFrom('due')
    .leftJoin('disposal as d', (j) => j.on('d.organisation_id', '=', organisationId).onRef('d.concern_id', '=', 'due.id').on('d.status', '=', 'proposed'))
    .leftJoin('app_user as p', (j) => j.on('p.organisation_id', '=', organisationId).onRef('p.id', '=', 'd.proposed_by'))
    .select(['due.id', 'due.reference', 'due.at_risk', 'due.received_at', 'due.closed_at', 'due.due_on', 'd.id as disposal_id', 'd.proposed_by', 'p.display_name as proposed_by_name', 'd.proposed_at', 'd.version as disposal_version'])
    .where('due.due_on', '<=', today)
    .orderBy('due.due_on')
    .orderBy('due.reference')
    .limit(limit)
    .execute()
  return rows as DueRecord[]
}

/** How many due cases are hidden from this person (restricted) and how many child cases cannot be dated. */
export async function retentionCounts(db: Executor, organisationId: string, userId: string, rules: RetentionRules, today: IsoDate): Promise<{ due: number; hiddenDue: number; undatable: number; held: number }> {
  const { rows } = await sql<{ due: number; hidden_due: number; undatable: number; held: number }>`
    SELECT count(*) FILTER (WHERE due_on <= ${today}::date AND NOT held AND visible)::int AS due,
           count(*) FILTER (WHERE due_on <= ${today}::date AND NOT held AND NOT visible)::int AS hidden_due,
           count(*) FILTER (WHERE due_on IS NULL AND NOT held)::int AS undatable,
           count(*) FILTER (WHERE held)::int AS held
    FROM (${retainedCases(db, organisationId, rules, today).select([dueOnSql(rules).as('due_on'), heldSql.as('held'), (eb) => concernVisibleTo(userId)(eb as never).as('visible')])}) AS r`.execute(db)
  const r = rows[0]!
  return { due: Number(r.due), hiddenDue: Number(r.hidden_due), undatable: Number(r.undatable), held: Number(r.held) }
}

/** One case as retention sees it, if this person may see it (restricted cases only when named). */
export async function retainedCase(db: Executor, organisationId: string, userId: string, concernId: string) {
  return db
    .selectFrom('concern as c')
    .select([
      'c.id',
      'c.reference',
      'c.status',
      'c.at_risk',
      'c.received_at',
      'c.closed_at',
      'c.person_date_of_birth',
      'c.person_age_years',
      'c.disposed_at',
      'c.version',
      heldSql.as('on_legal_hold'),
    ])
    .where('c.organisation_id', '=', organisationId)
    .where('c.id', '=', concernId)
    .where(concernVisibleTo(userId))
    .executeTakeFirst()
}

export interface Proposal {
  id: string
  proposed_by: string
  proposed_by_name: string
  proposed_at: Date
  version: number
}

export async function openProposal(db: Executor, organisationId: string, concernId: string): Promise<Proposal | undefined> {
  return db
    .selectFrom('disposal as d')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'd.organisation_id').onRef('u.id', '=', 'd.proposed_by'))
    .select(['d.id', 'd.proposed_by', 'u.display_name as proposed_by_name', 'd.proposed_at', 'd.version'])
    .where('d.organisation_id', '=', organisationId)
    .where('d.concern_id', '=', concernId)
    .where('d.status', '=', 'proposed')
    .executeTakeFirst()
}

/** Records a proposal unless the case already has one (false then). */
export async function insertProposal(tx: Executor, organisationId: string, p: { id: string; concernId: string; reference: string; rule: string; dueOn: IsoDate; by: string; at: Date }): Promise<boolean> {
  const row = await tx
    .insertInto('disposal')
    .values({ organisation_id: organisationId, id: p.id, concern_id: p.concernId, reference: p.reference, rule: p.rule, due_on: p.dueOn, status: 'proposed', proposed_by: p.by, proposed_at: p.at })
    .onConflict((oc) => oc.columns(['organisation_id', 'concern_id']).where('status', '<>', 'withdrawn').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** Withdraws or approves a proposal still at `version`; false if someone decided it meanwhile. */
export async function decideProposal(tx: Executor, organisationId: string, disposalId: string, version: number, decision: { status: 'withdrawn' | 'disposed'; by: string; at: Date }): Promise<boolean> {
  const result = await tx
    .updateTable('disposal')
    .set({ status: decision.status, decided_by: decision.by, decided_at: decision.at, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', disposalId)
    .where('status', '=', 'proposed')
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Removes a case's content, keeping a tombstone: the reference, dates, and the coded fields the
 * statistics count (types, location, decision, outcomes, the age at the concern), so published
 * figures do not change. Evidence rows go through kestrel_dispose_evidence, which runs as the
 * tables' owner and checks the approval itself. People linked to no other case are deleted.
 */
export async function disposeCase(tx: Executor, organisationId: string, concernId: string, disposalId: string, ageAtReceipt: number | null, at: Date): Promise<void> {
  const where = sql`organisation_id = ${organisationId} AND concern_id = ${concernId}`
  await sql`SELECT kestrel_dispose_evidence(${organisationId}::uuid, ${concernId}::uuid, ${disposalId}::uuid)`.execute(tx)
  await sql`DELETE FROM case_task WHERE ${where}`.execute(tx)
  await sql`DELETE FROM review_item WHERE ${where}`.execute(tx)
  for (const table of ['closure_request', 'case_reopening', 'concern_allocation', 'concern_access', 'notification']) {
    await sql`DELETE FROM ${sql.table(table)} WHERE ${where}`.execute(tx)
  }
  await sql`UPDATE concern_import SET gender = NULL, source_of_concern = NULL WHERE ${where}`.execute(tx)
  await sql`
    UPDATE onward_referral SET contact = NULL, agency_reference = NULL, information_shared = NULL, outcome_note = NULL,
      consent_reason = CASE WHEN consent = 'given' THEN NULL ELSE '' END, version = version + 1
    WHERE ${where}`.execute(tx)
  const { rows: linked } = await sql<{ person_id: string }>`DELETE FROM concern_person WHERE ${where} RETURNING person_id`.execute(tx)
  const people = [...new Set(linked.map((r) => r.person_id))]
  if (people.length > 0) {
    await sql`
      DELETE FROM person p WHERE p.organisation_id = ${organisationId} AND p.id = ANY(${sql.val(people)}::uuid[])
        AND p.merged_into_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM concern_person cp WHERE cp.organisation_id = p.organisation_id AND cp.person_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM person q WHERE q.organisation_id = p.organisation_id AND q.merged_into_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.organisation_id = p.organisation_id AND (m.survivor_id = p.id OR m.merged_id = p.id))`.execute(tx)
  }
  await sql`UPDATE report_concern_fact SET person_key = NULL, repeat_basis = NULL WHERE ${where}`.execute(tx)
  await tx
    .updateTable('concern')
    .set({
      person_name: '',
      person_known_as: null,
      person_date_of_birth: null,
      person_age_years: ageAtReceipt,
      person_address: null,
      person_postcode: null,
      household_members: null,
      what_happened: '',
      happened_on: null,
      decision_rationale: sql`CASE WHEN decision IS NULL THEN NULL ELSE '' END`,
      second_agreement_note: null,
      delay_reason: null,
      closing_summary: null,
      disposed_at: at,
      version: sql`version + 1`,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .execute()
}

export interface DisposedRecord {
  reference: string
  rule: string
  due_on: IsoDate
  proposed_by_name: string
  proposed_at: Date
  approved_by_name: string
  disposed_at: Date
}

/** The register of disposals, newest first: what was disposed of, under which rule, and by whom. */
export async function disposalRegister(db: Executor, organisationId: string, limit: number, offset: number): Promise<DisposedRecord[]> {
  return db
    .selectFrom('disposal as d')
    .innerJoin('app_user as p', (j) => j.onRef('p.organisation_id', '=', 'd.organisation_id').onRef('p.id', '=', 'd.proposed_by'))
    .innerJoin('app_user as a', (j) => j.onRef('a.organisation_id', '=', 'd.organisation_id').onRef('a.id', '=', 'd.decided_by'))
    .select(['d.reference', 'd.rule', 'd.due_on', 'p.display_name as proposed_by_name', 'd.proposed_at', 'a.display_name as approved_by_name', 'd.decided_at as disposed_at'])
    .where('d.organisation_id', '=', organisationId)
    .where('d.status', '=', 'disposed')
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.reference')
    .limit(limit)
    .offset(offset)
    .execute() as Promise<DisposedRecord[]>
}

export async function countDisposed(db: Executor, organisationId: string): Promise<number> {
  const row = await db.selectFrom('disposal').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).where('status', '=', 'disposed').executeTakeFirstOrThrow()
  return Number(row.n)
}
