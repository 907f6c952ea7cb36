import { sql } from 'kysely'
import { monthRuns, monthSplit, startOfLondonDay, type DateRange } from '../domain/kpis/periods.js'
import { endOfLondonDay, londonDate } from '../domain/working-days.js'
import type { Executor } from './executor.js'
import { concernVisibleTo } from './concern-repository.js'
import { measureRows, type DateBasis } from './report-fact-repository.js'

/**
 * The read side of reporting. Unrestricted concerns are counted from `report_daily` (a few rows
 * per day, whatever the number of concerns); restricted concerns the viewer may see are counted
 * live from their facts, with the same measure definitions.
 */
export interface MonthCountRow {
  month: string
  measure: string
  value: string
  n: number
}

/**
 * Counts per calendar month ('2022-04') over a range: whole months from report_monthly, the days
 * at either end from report_daily. A handful of rows per month, whatever the number of concerns.
 * With `monthly`, only those measures come month by month; the others are summed over each
 * statement's span and come with month '' (a tenth of the rows, for figures shown as totals).
 */
export async function countsByMonth(db: Executor, organisationId: string, range: DateRange, monthly: 'all' | readonly string[] = 'all'): Promise<MonthCountRow[]> {
  const split = monthSplit(range)
  const monthOf = (column: 'month' | 'day') =>
    monthly === 'all' ? sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM')` : monthly.length === 0 ? sql<string>`''` : sql<string>`CASE WHEN measure IN (${sql.join([...monthly])}) THEN to_char(${sql.ref(column)}, 'YYYY-MM') ELSE '' END`
  const parts: Promise<MonthCountRow[]>[] = []
  // A quarter per statement: a year's counts are thousands of rows (ages, days to close), and on
  // the embedded database a page waits for at most one such statement.
  for (const run of split.months ? monthRuns(split.months, 3) : []) {
    const months = db.selectFrom('report_monthly').where('organisation_id', '=', organisationId).where('month', '>=', run.from).where('month', '<=', run.to)
    parts.push(
      monthly === 'all'
        ? months.select([monthOf('month').as('month'), 'measure', 'value', 'n']).execute()
        : months
            .select([monthOf('month').as('month'), 'measure', 'value', (eb) => eb.fn.sum<number>('n').as('n')])
            .groupBy([sql`1`, 'measure', 'value'])
            .execute(),
    )
  }
  for (const days of split.days) {
    parts.push(
      db
        .selectFrom('report_daily')
        .select([monthOf('day').as('month'), 'measure', 'value', (eb) => eb.fn.sum<number>('n').as('n')])
        .where('organisation_id', '=', organisationId)
        .where('day', '>=', days.from)
        .where('day', '<=', days.to)
        .groupBy([sql`1`, 'measure', 'value'])
        .execute(),
    )
  }
  const rows: MonthCountRow[] = []
  for (const part of await Promise.all(parts)) for (const r of part) rows.push({ month: r.month, measure: r.measure, value: r.value, n: Number(r.n) })
  return rows
}

/** The restricted concerns this user may see (concernVisibleTo), as a subquery of concern ids. */
function visibleRestrictedIds(db: Executor, organisationId: string, userId: string) {
  return db.selectFrom('concern as c').select('c.id').where('c.organisation_id', '=', organisationId).where('c.restricted', '=', true).where(concernVisibleTo(userId))
}

/** Whether the viewer may see the fact's (restricted) concern: concernVisibleTo, one lookup per fact. */
function visibleConcernOf(db: Executor, organisationId: string, userId: string, fact: 'f' | 'r') {
  return db
    .selectFrom('concern as c')
    .select(sql`1`.as('one'))
    .where('c.organisation_id', '=', organisationId)
    .where(sql<boolean>`c.id = ${sql.ref(`${fact}.concern_id`)}`)
    .where('c.restricted', '=', true)
    .where(concernVisibleTo(userId))
}

/**
 * Counts of the restricted concerns the viewer may see, per month, measured exactly as the daily
 * counts are. Only the facts with a date in the range are read (an index per date, migration
 * 0012), each checked against the viewer's access, so the cost follows the period's restricted
 * cases rather than every restricted case there has ever been. One statement per date basis, so
 * on the embedded database a page waits behind a short statement, not one long one.
 */
export async function restrictedCountsByMonth(db: Executor, organisationId: string, userId: string, range: DateRange): Promise<MonthCountRow[]> {
  const inRange = (column: string) => sql`${sql.ref(column)} BETWEEN ${range.from}::date AND ${range.to}::date`
  const statements: { bases: DateBasis[]; column: string }[] = [
    { bases: ['received'], column: 'f.received_on' },
    { bases: ['addressed', 'referred'], column: 'f.addressed_on' },
    { bases: ['closed'], column: 'f.closed_on' },
  ]
  const results = await Promise.all(
    statements.map(({ bases, column }) => {
      const rows = measureRows(
        sql`SELECT f.* FROM report_concern_fact f WHERE f.organisation_id = ${organisationId} AND f.restricted AND ${inRange(column)}
          AND EXISTS (${visibleConcernOf(db, organisationId, userId, 'f')})`,
        sql`SELECT r.* FROM report_referral_fact r WHERE r.organisation_id = ${organisationId} AND r.restricted AND ${inRange('r.made_on')}
          AND EXISTS (${visibleConcernOf(db, organisationId, userId, 'r')})`,
        (day) => sql`${day} BETWEEN ${range.from}::date AND ${range.to}::date`,
        bases,
      )
      return sql<{ month: string; measure: string; value: string; n: number }>`
        SELECT to_char(day, 'YYYY-MM') AS month, measure, value, count(*)::int AS n FROM (${rows}) AS m GROUP BY 1, 2, 3
      `.execute(db)
    }),
  )
  return results.flatMap((result) => result.rows.map((r) => ({ ...r, n: Number(r.n) })))
}

/** Received by the end of `date` and not closed by then: unrestricted from the running totals, restricted live. */
export async function openAtEnd(db: Executor, organisationId: string, userId: string, date: string): Promise<number> {
  const split = monthSplit({ from: `${EARLIEST_COUNTED_YEAR}-01-01`, to: date })
  let total = 0
  const add = (rows: { measure: string; n: number | string | bigint | null }[]) => {
    for (const r of rows) total += (r.measure === 'received' ? 1 : -1) * Number(r.n ?? 0)
  }
  if (split.months) {
    add(
      await db
        .selectFrom('report_monthly')
        .select(['measure', (eb) => eb.fn.sum<number>('n').as('n')])
        .where('organisation_id', '=', organisationId)
        .where('measure', 'in', ['received', 'closed'])
        .where('month', '<=', split.months.to)
        .groupBy('measure')
        .execute(),
    )
  }
  for (const days of split.days) {
    add(
      await db
        .selectFrom('report_daily')
        .select(['measure', (eb) => eb.fn.sum<number>('n').as('n')])
        .where('organisation_id', '=', organisationId)
        .where('measure', 'in', ['received', 'closed'])
        .where('day', '>=', days.from)
        .where('day', '<=', days.to)
        .groupBy('measure')
        .execute(),
    )
  }
  const restricted = await db
    .selectFrom('report_concern_fact as f')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('f.organisation_id', '=', organisationId)
    .where('f.restricted', '=', true)
    .where('f.concern_id', 'in', visibleRestrictedIds(db, organisationId, userId))
    .where('f.received_on', '<=', date)
    .where((eb) => eb.or([eb('f.closed_on', 'is', null), eb('f.closed_on', '>', date)]))
    .executeTakeFirstOrThrow()
  return total + Number(restricted.n)
}

/** Counts start from here: nothing earlier is imported (domain/import). */
const EARLIEST_COUNTED_YEAR = 1990

/** Received in the range, still not addressed, deadline passed: the live part of "% within target". */
export async function unaddressedPastDeadline(db: Executor, organisationId: string, userId: string, range: DateRange, now: Date): Promise<number> {
  const row = await db
    .selectFrom('concern as c')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.organisation_id', '=', organisationId)
    .where('c.addressed_at', 'is', null)
    .where('c.received_at', '>=', startOfLondonDay(range.from))
    .where('c.received_at', '<=', endOfLondonDay(range.to))
    .where('c.due_at', '<', now)
    .where(concernVisibleTo(userId))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The earliest financial year with any concern, for the year choices (null when there are none). */
export async function earliestReceivedOn(db: Executor, organisationId: string): Promise<string | null> {
  const row = await db.selectFrom('concern').select((eb) => eb.fn.min('received_at').as('first')).where('organisation_id', '=', organisationId).executeTakeFirst()
  const first = row?.first as Date | string | null | undefined
  return first ? londonDate(new Date(first)) : null
}
