import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from '../db/schema.js'
import type { ConcernFacts, ConcernForFacts } from '../domain/kpis/concern-facts.js'
import type { Executor } from './executor.js'
import { analyzeTables } from './table-statistics-repository.js'

/**
 * The write side of reporting: the stale queue the triggers fill, the per-concern facts, and the
 * daily counts rebuilt from them (see migrations/0007_reporting.ts).
 */

/** Serialises refresh steps per organisation (a row lock, held to the end of the transaction). */
export async function lockRefresh(tx: Executor, organisationId: string): Promise<void> {
  await tx.insertInto('report_refresh_state').values({ organisation_id: organisationId, refreshed_at: null }).onConflict((oc) => oc.column('organisation_id').doNothing()).execute()
  await tx.selectFrom('report_refresh_state').select('organisation_id').where('organisation_id', '=', organisationId).forUpdate().execute()
}

export async function markRefreshed(tx: Executor, organisationId: string, at: Date): Promise<void> {
  await tx.updateTable('report_refresh_state').set({ refreshed_at: at }).where('organisation_id', '=', organisationId).execute()
}

export async function countStale(db: Executor, organisationId: string): Promise<{ concerns: number; days: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('report_stale').select((e) => e.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).as('concerns'),
      eb.selectFrom('report_stale_day').select((e) => e.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).as('days'),
    ])
    .executeTakeFirstOrThrow()
  return { concerns: Number(row.concerns ?? 0), days: Number(row.days ?? 0) }
}

/** The next queued concerns. No row locks needed: the caller holds the organisation's refresh lock. */
export async function takeStaleConcerns(tx: Executor, organisationId: string, limit: number) {
  return tx.selectFrom('report_stale').select(['concern_id', 'version']).where('organisation_id', '=', organisationId).orderBy('concern_id').limit(limit).execute()
}

/** Removes the queue entries that were read; an entry bumped since (a newer change) stays. */
export async function deleteStaleConcerns(tx: Executor, organisationId: string, taken: readonly { concern_id: string; version: number }[]): Promise<void> {
  if (taken.length === 0) return
  await sql`
    DELETE FROM report_stale s
    USING unnest(${sql.val(taken.map((t) => t.concern_id))}::uuid[], ${sql.val(taken.map((t) => t.version))}::int[]) AS t(concern_id, version)
    WHERE s.organisation_id = ${organisationId} AND s.concern_id = t.concern_id AND s.version = t.version
  `.execute(tx)
}

/** Batches are joined to an array of ids (index lookups), never filtered with a long IN list: plans stay good without statistics. */
function idList(ids: readonly string[]) {
  return sql`unnest(${sql.val(ids)}::uuid[])`
}

/** Everything facts are computed from, for a batch of concerns: the concerns, then who they are about. */
export async function loadConcernsForFacts(tx: Executor, organisationId: string, ids: readonly string[]): Promise<Omit<ConcernForFacts, 'name_unknown'>[]> {
  if (ids.length === 0) return []
  const concerns = await sql<Omit<ConcernForFacts, 'name_unknown' | 'person_id'>>`
    SELECT c.id, c.restricted, c.received_at, c.due_at, c.addressed_at, c.closed_at, c.referrer_service_id, c.at_risk,
           c.person_name, c.person_date_of_birth, c.person_age_years, c.person_postcode, c.concern_types, c.confirmed_types,
           c.location, c.source_of_risk, c.decision, c.risk_level, c.sac_outcome, c.risk_outcome, c.msp_asked, c.msp_achieved,
           c.reopened_count
    FROM ${idList(ids)} AS wanted(id)
    JOIN concern c ON c.organisation_id = ${organisationId} AND c.id = wanted.id
  `.execute(tx)
  // The subject's person record, following merges (three levels is far more than merging produces).
  const subjects = await sql<{ concern_id: string; person_id: string }>`
    SELECT DISTINCT ON (cp.concern_id) cp.concern_id, COALESCE(p3.id, p2.id, p1.id) AS person_id
    FROM ${idList(ids)} AS wanted(id)
    JOIN concern_person cp ON cp.organisation_id = ${organisationId} AND cp.concern_id = wanted.id AND cp.role = 'subject'
    JOIN person p1 ON p1.organisation_id = cp.organisation_id AND p1.id = cp.person_id
    LEFT JOIN person p2 ON p2.organisation_id = p1.organisation_id AND p2.id = p1.merged_into_id
    LEFT JOIN person p3 ON p3.organisation_id = p2.organisation_id AND p3.id = p2.merged_into_id
    ORDER BY cp.concern_id, cp.linked_at, cp.person_id
  `.execute(tx)
  const personOf = new Map(subjects.rows.map((s) => [s.concern_id, s.person_id]))
  return concerns.rows.map((c) => ({ ...c, person_id: personOf.get(c.id) ?? null }))
}

export async function loadReferralsForFacts(tx: Executor, organisationId: string, ids: readonly string[]) {
  if (ids.length === 0) return []
  const rows = await sql<{ id: string; concern_id: string; agency: string; made_at: Date }>`
    SELECT r.id, r.concern_id, r.agency, r.made_at FROM ${idList(ids)} AS wanted(id)
    JOIN onward_referral r ON r.organisation_id = ${organisationId} AND r.concern_id = wanted.id
  `.execute(tx)
  return rows.rows
}

export interface ExistingFact {
  concern_id: string
  received_at: Date
  received_on: string
  addressed_on: string | null
  closed_on: string | null
  person_key: string | null
}

export async function existingFacts(tx: Executor, organisationId: string, ids: readonly string[]): Promise<ExistingFact[]> {
  if (ids.length === 0) return []
  const rows = await sql<ExistingFact>`
    SELECT f.concern_id, f.received_at, f.received_on, f.addressed_on, f.closed_on, f.person_key FROM ${idList(ids)} AS wanted(id)
    JOIN report_concern_fact f ON f.organisation_id = ${organisationId} AND f.concern_id = wanted.id
  `.execute(tx)
  return rows.rows
}

export async function existingReferralDays(tx: Executor, organisationId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await sql<{ made_on: string }>`
    SELECT DISTINCT r.made_on FROM ${idList(ids)} AS wanted(id)
    JOIN report_referral_fact r ON r.organisation_id = ${organisationId} AND r.concern_id = wanted.id
  `.execute(tx)
  return rows.rows.map((r) => r.made_on)
}

export async function upsertFacts(tx: Executor, organisationId: string, facts: readonly ConcernFacts[]): Promise<void> {
  for (let i = 0; i < facts.length; i += 500) {
    const chunk = facts.slice(i, i + 500).map((f) => ({ organisation_id: organisationId, ...f, types: f.types }))
    await tx
      .insertInto('report_concern_fact')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'concern_id']).doUpdateSet((eb) => ({
          restricted: eb.ref('excluded.restricted'),
          received_at: eb.ref('excluded.received_at'),
          received_on: eb.ref('excluded.received_on'),
          addressed_on: eb.ref('excluded.addressed_on'),
          closed_on: eb.ref('excluded.closed_on'),
          service_id: eb.ref('excluded.service_id'),
          at_risk: eb.ref('excluded.at_risk'),
          is_adult: eb.ref('excluded.is_adult'),
          age_years: eb.ref('excluded.age_years'),
          types: eb.ref('excluded.types'),
          location: eb.ref('excluded.location'),
          source_of_risk: eb.ref('excluded.source_of_risk'),
          decision: eb.ref('excluded.decision'),
          risk_level: eb.ref('excluded.risk_level'),
          within_target: eb.ref('excluded.within_target'),
          wd_to_address: eb.ref('excluded.wd_to_address'),
          wd_to_close: eb.ref('excluded.wd_to_close'),
          sac_outcome: eb.ref('excluded.sac_outcome'),
          risk_outcome: eb.ref('excluded.risk_outcome'),
          msp_asked: eb.ref('excluded.msp_asked'),
          msp_achieved: eb.ref('excluded.msp_achieved'),
          reopened: eb.ref('excluded.reopened'),
          person_key: eb.ref('excluded.person_key'),
          repeat_basis: eb.ref('excluded.repeat_basis'),
        })),
      )
      .execute()
  }
}

export interface ReferralFact {
  referral_id: string
  concern_id: string
  restricted: boolean
  agency: string
  made_on: string
}

export async function replaceReferralFacts(tx: Executor, organisationId: string, concernIds: readonly string[], rows: readonly ReferralFact[]): Promise<void> {
  if (concernIds.length === 0) return
  await sql`DELETE FROM report_referral_fact r USING ${idList(concernIds)} AS gone(id) WHERE r.organisation_id = ${organisationId} AND r.concern_id = gone.id`.execute(tx)
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insertInto('report_referral_fact')
      .values(rows.slice(i, i + 500).map((r) => ({ organisation_id: organisationId, ...r })))
      .execute()
  }
}

/**
 * A concern is a repeat when another concern about the same person arrived in the 12 months before
 * it. Only flags that change are written: a rewritten row is a new row version and index entries,
 * and most concerns in a batch (all of an import without names) keep theirs.
 */
export async function updateRepeatFlags(tx: Executor, organisationId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  // The flag is never null, so "differs from what it should be" means "flip it".
  await sql`
    UPDATE report_concern_fact f SET is_repeat = NOT f.is_repeat
    FROM ${idList(ids)} AS wanted(id)
    WHERE f.organisation_id = ${organisationId} AND f.concern_id = wanted.id
      AND f.is_repeat <> (f.person_key IS NOT NULL AND EXISTS (
        SELECT 1 FROM report_concern_fact g
        WHERE g.organisation_id = f.organisation_id AND g.person_key = f.person_key AND g.concern_id <> f.concern_id
          AND g.received_at < f.received_at AND g.received_at >= f.received_at - interval '12 months'
      ))
  `.execute(tx)
}

/**
 * When who a concern is about (or when it arrived) changes, later concerns about that person may
 * stop or start being repeats: they go back on the queue. Concerns in the batch are skipped.
 */
export async function markFollowingConcernsStale(tx: Executor, organisationId: string, changes: readonly { key: string; receivedAt: Date }[], batch: readonly string[]): Promise<void> {
  if (changes.length === 0) return
  await sql`
    SELECT report_mark_stale(f.organisation_id, f.concern_id)
    FROM unnest(${sql.val(changes.map((c) => c.key))}::text[], ${sql.val(changes.map((c) => c.receivedAt.toISOString()))}::timestamptz[]) AS ch(person_key, received_at)
    JOIN report_concern_fact f ON f.organisation_id = ${organisationId} AND f.person_key = ch.person_key
      AND f.received_at > ch.received_at AND f.received_at <= ch.received_at + interval '12 months'
    WHERE NOT (f.concern_id = ANY(${sql.val(batch)}::uuid[]))
  `.execute(tx)
}

export async function markDaysStale(tx: Executor, organisationId: string, days: readonly string[]): Promise<void> {
  if (days.length === 0) return
  for (let i = 0; i < days.length; i += 1000) {
    await tx
      .insertInto('report_stale_day')
      .values(days.slice(i, i + 1000).map((day) => ({ organisation_id: organisationId, day })))
      .onConflict((oc) => oc.columns(['organisation_id', 'day']).doNothing())
      .execute()
  }
}

export async function takeStaleDays(tx: Executor, organisationId: string, limit: number): Promise<string[]> {
  const rows = await tx.selectFrom('report_stale_day').select('day').where('organisation_id', '=', organisationId).orderBy('day').limit(limit).execute()
  return rows.map((r) => r.day)
}

export async function deleteStaleDays(tx: Executor, organisationId: string, days: readonly string[]): Promise<void> {
  if (days.length === 0) return
  await tx.deleteFrom('report_stale_day').where('organisation_id', '=', organisationId).where('day', 'in', days).execute()
}

export type DateBasis = 'received' | 'addressed' | 'referred' | 'closed'
export const DATE_BASES: readonly DateBasis[] = ['received', 'addressed', 'referred', 'closed']

/**
 * The measures each fact contributes, as (day, measure, value) rows: one pass per date basis over
 * a set of facts picked first (`facts`, `referrals`: queries over report_concern_fact and
 * report_referral_fact), then `onDay(column)` keeps the rows on the wanted days. Picking first
 * keeps the work proportional to the facts involved, never to the whole table.
 * `bases` picks some of the passes, for callers that split the work into shorter statements.
 * Keep in step with domain/kpis/measures.ts and report-case-list-repository.ts.
 */
export function measureRows(facts: RawBuilder<unknown>, referrals: RawBuilder<unknown>, onDay: (column: RawBuilder<unknown>) => RawBuilder<unknown>, bases: readonly DateBasis[] = DATE_BASES) {
  const on = (column: string) => onDay(sql.ref(column))
  const parts: Record<DateBasis, RawBuilder<unknown>> = {
    received: sql`
    SELECT f.received_on AS day, m.measure, m.value
    FROM f
    CROSS JOIN LATERAL (VALUES
      ('received', ''),
      ('received.service', f.service_id::text),
      ('received.at_risk', f.at_risk),
      ('received.age', CASE WHEN f.at_risk = 'unborn' THEN 'unborn' WHEN f.age_years IS NULL THEN 'unknown' ELSE f.age_years::text END),
      ('received.location', f.location),
      ('addressed', CASE WHEN f.addressed_on IS NOT NULL THEN '' END),
      ('within_target', CASE WHEN f.within_target THEN '' END),
      ('decided', CASE WHEN f.decision IS NOT NULL THEN '' END),
      ('decided_onward', CASE WHEN f.decision = 'onward_referral' THEN '' END),
      ('repeat', CASE WHEN f.is_repeat THEN '' END),
      ('reopened', CASE WHEN f.reopened THEN '' END),
      ('wd_to_address', f.wd_to_address::text)
    ) AS m(measure, value)
    WHERE ${on('f.received_on')} AND m.value IS NOT NULL
    UNION ALL
    SELECT f.received_on, 'received.type', t.type
    FROM f CROSS JOIN LATERAL unnest(f.types) AS t(type)
    WHERE ${on('f.received_on')}`,
    addressed: sql`
    SELECT f.addressed_on AS day, m.measure, m.value
    FROM f CROSS JOIN LATERAL (VALUES ('decision', f.decision), ('risk_level', f.risk_level)) AS m(measure, value)
    WHERE f.addressed_on IS NOT NULL AND ${on('f.addressed_on')} AND m.value IS NOT NULL`,
    referred: sql`
    SELECT r.made_on AS day, 'referral.agency' AS measure, r.agency AS value
    FROM r
    WHERE ${on('r.made_on')}`,
    closed: sql`
    SELECT f.closed_on AS day, m.measure, m.value
    FROM f
    CROSS JOIN LATERAL (VALUES
      ('closed', ''),
      ('wd_to_close', f.wd_to_close::text),
      ('closed.outcome', COALESCE(f.sac_outcome, 'not_recorded')),
      ('adult_closed', CASE WHEN f.is_adult THEN '' END),
      ('adult_closed.location', CASE WHEN f.is_adult THEN f.location END),
      ('adult_closed.source', CASE WHEN f.is_adult THEN COALESCE(f.source_of_risk, 'not_recorded') END),
      ('adult_closed.outcome', CASE WHEN f.is_adult THEN COALESCE(f.sac_outcome, 'not_recorded') END),
      ('adult_closed.risk_outcome', CASE WHEN f.is_adult THEN COALESCE(f.risk_outcome, 'not_recorded') END),
      ('adult_closed.msp_asked', CASE WHEN f.is_adult THEN COALESCE(f.msp_asked, 'not_recorded') END),
      ('adult_closed.msp_achieved', CASE WHEN f.is_adult THEN COALESCE(f.msp_achieved, 'not_recorded') END)
    ) AS m(measure, value)
    WHERE f.closed_on IS NOT NULL AND ${on('f.closed_on')} AND m.value IS NOT NULL
    UNION ALL
    SELECT f.closed_on, 'adult_closed.type', t.type
    FROM f CROSS JOIN LATERAL unnest(f.types) AS t(type)
    WHERE f.is_adult AND f.closed_on IS NOT NULL AND ${on('f.closed_on')} AND t.type LIKE 'adult:%'`,
  }
  // Only the CTEs the chosen bases read: an unused MATERIALIZED CTE would still be computed.
  const ctes = [...(bases.some((b) => b !== 'referred') ? [sql`f AS MATERIALIZED (${facts})`] : []), ...(bases.includes('referred') ? [sql`r AS MATERIALIZED (${referrals})`] : [])]
  return sql`WITH ${sql.join(ctes)} ${sql.join(
    bases.map((b) => parts[b]),
    sql` UNION ALL `,
  )}`
}

/** Rebuilds the daily counts of unrestricted concerns for the given days, then their months. */
export async function rebuildDailyCounts(tx: Executor, organisationId: string, days: readonly string[]): Promise<void> {
  if (days.length === 0) return
  const dayList = sql.val(days)
  await tx.deleteFrom('report_daily').where('organisation_id', '=', organisationId).where('day', 'in', days).execute()
  const facts = sql`
    SELECT * FROM report_concern_fact
    WHERE organisation_id = ${organisationId} AND NOT restricted
      AND (received_on = ANY(${dayList}::date[]) OR addressed_on = ANY(${dayList}::date[]) OR closed_on = ANY(${dayList}::date[]))`
  const referrals = sql`SELECT * FROM report_referral_fact WHERE organisation_id = ${organisationId} AND NOT restricted AND made_on = ANY(${dayList}::date[])`
  const rows = measureRows(facts, referrals, (column) => sql`${column} = ANY(${dayList}::date[])`)
  await sql`
    INSERT INTO report_daily (organisation_id, day, measure, value, n)
    SELECT ${organisationId}, day, measure, value, count(*) FROM (${rows}) AS m GROUP BY day, measure, value
  `.execute(tx)
  const months = [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))]
  const monthList = sql.val(months)
  await tx.deleteFrom('report_monthly').where('organisation_id', '=', organisationId).where('month', 'in', months).execute()
  await sql`
    INSERT INTO report_monthly (organisation_id, month, measure, value, n)
    SELECT d.organisation_id, date_trunc('month', d.day)::date, d.measure, d.value, sum(d.n)
    FROM unnest(${monthList}::date[]) AS m(month)
    JOIN report_daily d ON d.organisation_id = ${organisationId} AND d.day >= m.month AND d.day < (m.month + interval '1 month')::date
    GROUP BY 1, 2, 3, 4
  `.execute(tx)
}

/**
 * Fresh planner statistics for the report tables during a large refresh (a first build, an import
 * of years of concerns): measured at 1,000,000 concerns, the repeat-concern lookups ran at
 * 67 concerns/s on statistics from the empty tables and 3,500/s after. On the embedded engine the
 * sample is smaller (the facts of 100,000 concerns: 470 ms in full, 50 ms sampled).
 */
export async function analyzeReportTables(db: Kysely<DB>, options: { finished?: boolean; embedded?: boolean } = {}): Promise<void> {
  await analyzeTables(db, ['report_concern_fact', 'report_referral_fact', 'report_daily', 'report_monthly'], options)
  // The queues were filled and emptied: clear out their dead rows too, or counting the (empty)
  // queue before every report read scans them all (5 ms after a million, until autovacuum comes).
  if (options.finished) for (const table of ['report_stale', 'report_stale_day'] as const) await sql`VACUUM (ANALYZE) ${sql.table(table)}`.execute(db)
}
