import { DateTime } from 'luxon'
import { londonInstant } from '../london-time.js'
import { addCalendarDays, LONDON } from '../working-days.js'

/**
 * Reporting periods (domain.md "Financial year"): 1 April to 31 March, Q1 April–June … Q4
 * January–March. A period is a span of London calendar dates, both ends included.
 */
export interface DateRange {
  from: string
  to: string
}

export type Quarter = 1 | 2 | 3 | 4

export type Period =
  | { kind: 'year'; financialYear: number; from: string; to: string }
  | { kind: 'quarter'; financialYear: number; quarter: Quarter; from: string; to: string }
  | { kind: 'custom'; from: string; to: string }

const QUARTER_MONTHS: Record<Quarter, [string, string]> = { 1: ['April', 'June'], 2: ['July', 'September'], 3: ['October', 'December'], 4: ['January', 'March'] }

export function financialYearOf(isoDate: string): number {
  const [year, month] = isoDate.split('-').map(Number) as [number, number]
  return month >= 4 ? year : year - 1
}

/** "2022-23" */
export function financialYearLabel(fy: number): string {
  return `${fy}-${String((fy + 1) % 100).padStart(2, '0')}`
}

export function financialYearRange(fy: number): DateRange {
  return { from: `${fy}-04-01`, to: `${fy + 1}-03-31` }
}

export function quarterRange(fy: number, quarter: Quarter): DateRange {
  const start = DateTime.fromObject({ year: fy, month: 4, day: 1 }, { zone: LONDON }).plus({ months: (quarter - 1) * 3 })
  return { from: start.toISODate()!, to: start.plus({ months: 3 }).minus({ days: 1 }).toISODate()! }
}

export function yearPeriod(fy: number): Period {
  return { kind: 'year', financialYear: fy, ...financialYearRange(fy) }
}

export function quarterPeriod(fy: number, quarter: Quarter): Period {
  return { kind: 'quarter', financialYear: fy, quarter, ...quarterRange(fy, quarter) }
}

export function customPeriod(from: string, to: string): Period {
  return { kind: 'custom', from, to }
}

/** The same period a year earlier (29 February becomes 28 February). */
export function yearEarlier(period: Period): Period {
  switch (period.kind) {
    case 'year':
      return yearPeriod(period.financialYear - 1)
    case 'quarter':
      return quarterPeriod(period.financialYear - 1, period.quarter)
    case 'custom':
      return customPeriod(minusYear(period.from), minusYear(period.to))
  }
}

function minusYear(iso: string): string {
  return DateTime.fromISO(iso, { zone: LONDON }).minus({ years: 1 }).toISODate()!
}

/** The first instant of a London calendar date (midnight, whatever the clocks did). */
export function startOfLondonDay(isoDate: string): Date {
  return londonInstant(isoDate)
}

export function formatLongDate(iso: string): string {
  return DateTime.fromISO(iso, { zone: LONDON }).toFormat('d MMMM yyyy')
}

/** "2022-23", "Q1 2022-23", "1 May 2022 to 30 June 2022": short enough for a table heading. */
export function periodShortLabel(period: Period): string {
  switch (period.kind) {
    case 'year':
      return financialYearLabel(period.financialYear)
    case 'quarter':
      return `Q${period.quarter} ${financialYearLabel(period.financialYear)}`
    case 'custom':
      return `${formatLongDate(period.from)} to ${formatLongDate(period.to)}`
  }
}

/** The heading form, with the dates spelt out. */
export function periodLabel(period: Period): string {
  switch (period.kind) {
    case 'year':
      return `${financialYearLabel(period.financialYear)} (1 April ${period.financialYear} to 31 March ${period.financialYear + 1})`
    case 'quarter': {
      const [first, last] = QUARTER_MONTHS[period.quarter]
      const year = period.quarter === 4 ? period.financialYear + 1 : period.financialYear
      return `Q${period.quarter} ${financialYearLabel(period.financialYear)} (${first} to ${last} ${year})`
    }
    case 'custom':
      return periodShortLabel(period)
  }
}

export function quartersOf(fy: number): { quarter: Quarter; label: string; range: DateRange }[] {
  return ([1, 2, 3, 4] as const).map((quarter) => ({ quarter, label: `Q${quarter}`, range: quarterRange(fy, quarter) }))
}

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const twoDigits = (n: number) => String(n).padStart(2, '0')

/**
 * Calendar months overlapping a range, each clipped to it. Plain date arithmetic: a calendar
 * month needs no time zone, and every report page builds dozens of these.
 */
export function monthsOf(range: DateRange): { label: string; range: DateRange }[] {
  const months: { label: string; range: DateRange }[] = []
  let [year, month] = range.from.split('-').map(Number) as [number, number]
  const [endYear, endMonth] = range.to.split('-').map(Number) as [number, number]
  while (year < endYear || (year === endYear && month <= endMonth)) {
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
    const first = `${year}-${twoDigits(month)}-01`
    const last = `${year}-${twoDigits(month)}-${twoDigits(lastDay)}`
    months.push({ label: `${SHORT_MONTHS[month - 1]} ${year}`, range: { from: first < range.from ? range.from : first, to: last > range.to ? range.to : last } })
    if (++month > 12) {
      month = 1
      year++
    }
  }
  return months
}

export function daysInRange(range: DateRange): number {
  return Math.round(DateTime.fromISO(range.to).diff(DateTime.fromISO(range.from), 'days').days) + 1
}

export function contains(range: DateRange, isoDate: string): boolean {
  return isoDate >= range.from && isoDate <= range.to
}

/** The first and last financial years a report may ask for (bounded so a query never spans centuries). */
export const EARLIEST_REPORT_YEAR = 2000

/**
 * A range as whole calendar months (read from monthly counts) plus the days at either end that
 * do not fill a month (read from daily counts).
 */
export function monthSplit(range: DateRange): { months: { from: string; to: string } | null; days: DateRange[] } {
  // Calendar arithmetic on the ISO dates themselves: every report read calls this, and a time zone
  // library's conversions cost more than the statements' planning.
  const firstFull = range.from.endsWith('-01') ? range.from : firstOfMonth(range.from, 1)
  const lastFull = addCalendarDays(range.to, 1).endsWith('-01') ? firstOfMonth(range.to, 0) : firstOfMonth(range.to, -1)
  if (firstFull > lastFull) return { months: null, days: [range] }
  const days: DateRange[] = []
  if (firstFull > range.from) days.push({ from: range.from, to: addCalendarDays(firstFull, -1) })
  const afterLast = firstOfMonth(lastFull, 1)
  if (afterLast <= range.to) days.push({ from: afterLast, to: range.to })
  return { months: { from: firstFull, to: lastFull }, days }
}

/** Months counted from year 0, so months can be stepped through with plain numbers. */
const monthIndex = (isoDate: string) => Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1
const monthStart = (index: number) => `${Math.floor(index / 12)}-${twoDigits((index % 12) + 1)}-01`

/** The first day of the month `offset` months from the month of `isoDate`. */
function firstOfMonth(isoDate: string, offset: number): string {
  return monthStart(monthIndex(isoDate) + offset)
}

/**
 * Whole months ('YYYY-MM-01' to 'YYYY-MM-01', both included) in runs of at most `size` months, so
 * one report read is split into short statements (on the embedded database pages are served
 * between them).
 */
export function monthRuns(months: { from: string; to: string }, size: number): { from: string; to: string }[] {
  const runs: { from: string; to: string }[] = []
  for (let start = monthIndex(months.from), last = monthIndex(months.to); start <= last; start += size) runs.push({ from: monthStart(start), to: monthStart(Math.min(last, start + size - 1)) })
  return runs
}
