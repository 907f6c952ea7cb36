import { checkDateParts } from '../../domain/dates.js'
import { customPeriod, daysInRange, EARLIEST_REPORT_YEAR, financialYearLabel, financialYearOf, quarterPeriod, yearPeriod, type Period, type Quarter } from '../../domain/kpis/periods.js'
import { singleError, type FormErrors } from '../../forms.js'

/**
 * The period a report shows, from GET parameters: `year` (the year a financial year starts, e.g.
 * 2022 for 2022-23) with an optional `quarter` (1–4), or custom dates as GOV.UK date inputs
 * (`from-day`, `from-month`, `from-year`, `to-…`). Nothing given means this financial year.
 * Anything unexpected is an error the page shows, never a guess and never a crash.
 */
export type PeriodParams = { ok: true; period: Period; values: Record<string, string> } | { ok: false; errors: FormErrors; values: Record<string, string> }

const DATE_PARTS = ['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year'] as const
export const MAX_CUSTOM_DAYS = 366 * 5

function single(query: Record<string, unknown>, name: string): string | undefined | null {
  const v = query[name]
  if (v === undefined) return undefined
  return typeof v === 'string' ? v : null
}

export function parsePeriodParams(query: Record<string, unknown>, today: string): PeriodParams {
  const values: Record<string, string> = {}
  for (const name of ['year', 'quarter', ...DATE_PARTS]) {
    const v = query[name]
    if (typeof v === 'string') values[name] = v
  }
  const currentYear = financialYearOf(today)
  for (const name of ['year', 'quarter', ...DATE_PARTS]) {
    if (single(query, name) === null) return { ok: false, values, errors: singleError(name.startsWith('to') ? 'to' : name.startsWith('from') ? 'from' : name, 'Choose one value for each part of the period', `#${name}`) }
  }
  const custom = DATE_PARTS.some((n) => (values[n] ?? '').trim() !== '')
  if (custom) {
    const from = checkDateParts({ day: values['from-day'] ?? '', month: values['from-month'] ?? '', year: values['from-year'] ?? '' }, 'The start date', today, { earliest: `${EARLIEST_REPORT_YEAR}-01-01` })
    if (from.kind === 'empty') return { ok: false, values, errors: singleError('from', 'Enter the start date', '#from-day') }
    if (from.kind === 'error') return { ok: false, values, errors: singleError('from', from.message, `#from-${from.part}`) }
    const to = checkDateParts({ day: values['to-day'] ?? '', month: values['to-month'] ?? '', year: values['to-year'] ?? '' }, 'The end date', today, { earliest: `${EARLIEST_REPORT_YEAR}-01-01` })
    if (to.kind === 'empty') return { ok: false, values, errors: singleError('to', 'Enter the end date', '#to-day') }
    if (to.kind === 'error') return { ok: false, values, errors: singleError('to', to.message, `#to-${to.part}`) }
    if (to.iso < from.iso) return { ok: false, values, errors: singleError('to', 'The end date must be the same as or after the start date', '#to-day') }
    if (to.iso > `${currentYear + 1}-03-31`) return { ok: false, values, errors: singleError('to', 'The end date must be before the end of this financial year', '#to-day') }
    if (daysInRange({ from: from.iso, to: to.iso }) > MAX_CUSTOM_DAYS) return { ok: false, values, errors: singleError('to', 'Choose a period of 5 years or less', '#to-day') }
    return { ok: true, values, period: customPeriod(from.iso, to.iso) }
  }
  const yearText = (values.year ?? '').trim()
  let year = currentYear
  if (yearText !== '') {
    if (!/^\d{4}$/.test(yearText) || Number(yearText) < EARLIEST_REPORT_YEAR || Number(yearText) > currentYear) {
      return { ok: false, values, errors: singleError('year', `Choose a financial year from ${EARLIEST_REPORT_YEAR}-${String((EARLIEST_REPORT_YEAR + 1) % 100).padStart(2, '0')} to this year`, '#year') }
    }
    year = Number(yearText)
  }
  const quarterText = (values.quarter ?? '').trim()
  if (quarterText === '' || quarterText === 'all') return { ok: true, values, period: yearPeriod(year) }
  if (!/^[1-4]$/.test(quarterText)) return { ok: false, values, errors: singleError('quarter', 'Choose the whole year or a quarter from the list', '#quarter') }
  return { ok: true, values, period: quarterPeriod(year, Number(quarterText) as Quarter) }
}

/** The query string that reproduces a period (for links, downloads and the other year's column). */
export function periodQuery(period: Period): Record<string, string> {
  switch (period.kind) {
    case 'year':
      return { year: String(period.financialYear) }
    case 'quarter':
      return { year: String(period.financialYear), quarter: String(period.quarter) }
    case 'custom': {
      const [fy, fm, fd] = period.from.split('-')
      const [ty, tm, td] = period.to.split('-')
      return { 'from-day': String(Number(fd)), 'from-month': String(Number(fm)), 'from-year': fy!, 'to-day': String(Number(td)), 'to-month': String(Number(tm)), 'to-year': ty! }
    }
  }
}

export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v)
  const text = search.toString()
  return text ? `${path}?${text}` : path
}

/** Financial years offered in the year choices: from the first concern's year (or this year) to this year. */
export function yearChoices(today: string, earliestReceivedOn: string | null): number[] {
  const current = financialYearOf(today)
  const first = Math.max(EARLIEST_REPORT_YEAR, Math.min(current, earliestReceivedOn ? financialYearOf(earliestReceivedOn) : current))
  const years: number[] = []
  for (let y = current; y >= first; y--) years.push(y)
  return years
}

/** The choices for the period form, with what is currently chosen selected. */
export function periodFormItems(years: readonly number[], values: Record<string, string>) {
  const chosenYear = values.year ?? String(years[0] ?? '')
  return {
    yearItems: years.map((y) => ({ value: String(y), text: financialYearLabel(y), selected: String(y) === chosenYear })),
    quarterItems: [
      { value: 'all', text: 'Whole year' },
      { value: '1', text: 'Q1 (April to June)' },
      { value: '2', text: 'Q2 (July to September)' },
      { value: '3', text: 'Q3 (October to December)' },
      { value: '4', text: 'Q4 (January to March)' },
    ].map((q) => ({ ...q, selected: q.value === (values.quarter || 'all') })),
  }
}

/** Pages that cover a whole financial year (scorecard, collection tables, committee report): `year` only. */
export function parseYearParam(query: Record<string, unknown>, today: string): { ok: true; year: number } | { ok: false; errors: FormErrors } {
  const raw = query.year
  const current = financialYearOf(today)
  if (raw === undefined || raw === '') return { ok: true, year: current }
  if (typeof raw !== 'string' || !/^\d{4}$/.test(raw) || Number(raw) < EARLIEST_REPORT_YEAR || Number(raw) > current) {
    return { ok: false, errors: singleError('year', `Choose a financial year from ${EARLIEST_REPORT_YEAR}-${String((EARLIEST_REPORT_YEAR + 1) % 100).padStart(2, '0')} to this year`, '#year') }
  }
  return { ok: true, year: Number(raw) }
}
