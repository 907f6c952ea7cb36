import type { AppDeps, SignedInContext } from '../context.js'
import { DEFAULT_AGE_SETTINGS, type AgeBandSettings } from '../domain/kpis/age-bands.js'
import { addCount, emptyCounts, headline, mergeCounts, type Counts, type Headline, type LabelContext } from '../domain/kpis/figures.js'
import type { Measure } from '../domain/kpis/measures.js'
import { financialYearRange, monthsOf, quartersOf, yearEarlier, type DateRange, type Period } from '../domain/kpis/periods.js'
import { londonDate } from '../domain/working-days.js'
import { listAgencies } from '../repositories/agency-repository.js'
import type { Executor } from '../repositories/executor.js'
import { countsByMonth, openAtEnd, restrictedCountsByMonth, unaddressedPastDeadline } from '../repositories/report-query-repository.js'
import { findReportSettings } from '../repositories/report-settings-repository.js'
import { listServices } from '../repositories/service-repository.js'
import { asReportWork } from '../db/page-traffic.js'
import { audit } from './audit.js'
import { refreshReports } from './report-refresh.js'

/**
 * Loading report figures for a viewer: bring the counts up to date, read them, add the
 * restricted cases this viewer may see, and audit the view — in one transaction with the reads.
 */
export interface PeriodFigures {
  counts: Counts
  headline: Headline
  /** Concerns received month by month ('2022-04'), clipped to the period: the trend charts. */
  months: Map<string, Counts>
}

export async function ageSettingsFor(db: Executor, organisationId: string): Promise<AgeBandSettings & { version: number }> {
  const saved = await findReportSettings(db, organisationId)
  return saved ? { starts: saved.age_band_starts, totalFrom: saved.age_total_from, version: saved.version } : { ...DEFAULT_AGE_SETTINGS, version: 0 }
}

export async function labelContext(db: Executor, organisationId: string): Promise<LabelContext> {
  const [services, agencies, ageSettings] = await Promise.all([listServices(db, organisationId), listAgencies(db, organisationId), ageSettingsFor(db, organisationId)])
  return { services: services.map((s) => ({ id: s.id, name: s.name })), agencies: agencies.map((a) => a.name), ageSettings }
}

export async function periodCounts(db: Executor, ctx: SignedInContext, range: DateRange): Promise<Counts> {
  return (await rangeCounts(db, ctx, range, [])).total
}

/** Counts per month ('2022-04') over a range, restricted cases included for those allowed. */
export async function monthlyCounts(db: Executor, ctx: SignedInContext, range: DateRange): Promise<Map<string, Counts>> {
  const months = new Map<string, Counts>()
  const [open, restricted] = await Promise.all([countsByMonth(db, ctx.user.organisationId, range), restrictedCountsByMonth(db, ctx.user.organisationId, ctx.user.id, range)])
  for (const rows of [open, restricted]) for (const r of rows) addCount(monthOf(months, r.month), r.measure, r.value, r.n)
  return months
}

/**
 * Counts over a range, restricted cases included for those allowed, and the measures in
 * `byMonth` also month by month. Figures shown as totals are summed by the database, so a
 * year's dashboard reads a few hundred rows rather than thousands.
 */
export async function rangeCounts(db: Executor, ctx: SignedInContext, range: DateRange, byMonth: readonly Measure[]): Promise<{ total: Counts; months: Map<string, Counts> }> {
  const total = emptyCounts()
  const months = new Map<string, Counts>()
  const monthly = new Set<string>(byMonth)
  const [open, restricted] = await Promise.all([countsByMonth(db, ctx.user.organisationId, range, byMonth), restrictedCountsByMonth(db, ctx.user.organisationId, ctx.user.id, range)])
  for (const rows of [open, restricted]) {
    for (const r of rows) {
      addCount(total, r.measure, r.value, r.n)
      if (r.month && monthly.has(r.measure)) addCount(monthOf(months, r.month), r.measure, r.value, r.n)
    }
  }
  return { total, months }
}

function monthOf(months: Map<string, Counts>, month: string): Counts {
  let counts = months.get(month)
  if (!counts) months.set(month, (counts = emptyCounts()))
  return counts
}

export async function periodFigures(db: Executor, ctx: SignedInContext, range: DateRange): Promise<PeriodFigures> {
  const now = ctx.now()
  // Open caseload at the period's end, or today if the period has not ended yet.
  const end = range.to < londonDate(now) ? range.to : londonDate(now)
  // Independent reads: on PostgreSQL they run side by side; on the embedded database they queue.
  const [{ total: counts, months }, unaddressed, open] = await Promise.all([
    rangeCounts(db, ctx, range, ['received']),
    unaddressedPastDeadline(db, ctx.user.organisationId, ctx.user.id, range, now),
    openAtEnd(db, ctx.user.organisationId, ctx.user.id, end),
  ])
  const live = { unaddressedPastDeadline: unaddressed, openAtEnd: open }
  return { counts, headline: headline(counts, live), months }
}

/**
 * Runs `read` after bringing the counts up to date, then records the view (`report.view`, or
 * `report.export` for downloads; details hold the report and period only). The reads are of
 * counts, not case records, so they run as separate queries rather than one transaction: on the
 * embedded database pages are served between them (pages first: src/db/page-traffic.ts).
 */
export async function readReport<T>(deps: AppDeps, ctx: SignedInContext, facts: { action: 'report.view' | 'report.export'; details: Record<string, unknown> }, read: (db: Executor) => Promise<T>): Promise<T> {
  // Report work: on the embedded database each statement waits for a gap between pages.
  const result = await asReportWork(async () => {
    await refreshReports(deps.database.db, ctx.user.organisationId, ctx.now(), { embedded: deps.database.engine === 'pglite' })
    return read(deps.database.db)
  })
  await deps.database.db.transaction().execute((tx) => audit(tx, ctx, { action: facts.action, details: facts.details }))
  // Building a report's tables, charts and page is several milliseconds of one thread: pages
  // waiting meanwhile go first.
  if (deps.database.pages) await deps.database.pages.giveWay()
  return result
}

export interface ComparedFigures {
  period: Period
  previous: Period
  current: PeriodFigures
  earlier: PeriodFigures
}

export async function comparedFigures(tx: Executor, ctx: SignedInContext, period: Period): Promise<ComparedFigures> {
  const previous = yearEarlier(period)
  const [current, earlier] = await Promise.all([periodFigures(tx, ctx, period), periodFigures(tx, ctx, previous)])
  return { period, previous, current, earlier }
}

export interface ColumnFigures {
  label: string
  range: DateRange
  counts: Counts
  headline: Headline
}

async function liveFigures(db: Executor, ctx: SignedInContext, range: DateRange, counts: Counts): Promise<Headline> {
  const now = ctx.now()
  const end = range.to < londonDate(now) ? range.to : londonDate(now)
  return headline(counts, {
    unaddressedPastDeadline: await unaddressedPastDeadline(db, ctx.user.organisationId, ctx.user.id, range, now),
    openAtEnd: await openAtEnd(db, ctx.user.organisationId, ctx.user.id, end),
  })
}

/**
 * A financial year as Q1–Q4 and the full year. Each column is counted on its own dates; the full
 * year is counted over the whole year (so "referring services" is the number of distinct
 * services, not the sum of the quarters).
 */
export async function quarterlyFigures(db: Executor, ctx: SignedInContext, fy: number): Promise<ColumnFigures[]> {
  const byMonth = await monthlyCounts(db, ctx, financialYearRange(fy))
  const monthCounts = (range: DateRange) => monthsOf(range).map((m) => byMonth.get(m.range.from.slice(0, 7)) ?? emptyCounts())
  const columns: ColumnFigures[] = []
  for (const q of quartersOf(fy)) {
    const counts = mergeCounts(monthCounts(q.range))
    columns.push({ label: q.label, range: q.range, counts, headline: await liveFigures(db, ctx, q.range, counts) })
  }
  const year = financialYearRange(fy)
  const counts = mergeCounts(monthCounts(year))
  columns.push({ label: 'Full year', range: year, counts, headline: await liveFigures(db, ctx, year, counts) })
  return columns
}
