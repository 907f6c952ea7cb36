import { parseAgeFilter } from '../../../domain/kpis/age-bands.js'
import { isCaseListMeasure, measureTakesValue, type CaseListMeasure } from '../../../domain/kpis/measures.js'
import { daysInRange, EARLIEST_REPORT_YEAR, type DateRange } from '../../../domain/kpis/periods.js'
import { AT_RISK_OPTIONS, CONCERN_TYPE_CODES } from '../../../domain/reference-lists.js'
import { CASE_OUTCOMES, DECISIONS, MSP_ACHIEVED, MSP_ASKED, RISK_LEVELS, RISK_OUTCOMES, SOURCES_OF_RISK, type Option } from '../../../domain/sac-lists.js'
import { isUuid } from '../../../ids.js'
import { MAX_CUSTOM_DAYS } from '../period-params.js'

/**
 * The parameters of a case list behind a figure: `measure`, `value` (for measures that name
 * something), `from` and `to` (ISO dates). Strict: a value that cannot come from a figure is a
 * 400, not an empty list that looks like a real answer.
 */
export type CaseListParams = { ok: true; measure: CaseListMeasure; value: string | null; range: DateRange } | { ok: false; message: string }

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
// Values a measure may have: optional for decision, risk level and agency (the total row links without one).
const OPTIONAL_VALUE = new Set<CaseListMeasure>(['decision', 'risk_level', 'referral.agency', 'closed.outcome'])

function realDate(text: unknown): string | null {
  if (typeof text !== 'string') return null
  const m = ISO_DATE.exec(text)
  if (!m) return null
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === text ? text : null
}

const codes = (options: readonly Option[]) => [...options.map((o) => o.value), 'not_recorded']
const FREE_TEXT = /^[^\u0000-\u001F\u007F]{1,200}$/

function valueAllowed(measure: CaseListMeasure, value: string, serviceIds: readonly string[]): boolean {
  if (measure.endsWith('.service')) return isUuid(value) && serviceIds.includes(value)
  if (measure.endsWith('.type')) return (CONCERN_TYPE_CODES as readonly string[]).includes(value)
  if (measure.endsWith('.at_risk')) return AT_RISK_OPTIONS.some((o) => o.value === value)
  if (measure.endsWith('.age')) return parseAgeFilter(value) !== null
  if (measure === 'decision') return DECISIONS.some((o) => o.value === value)
  if (measure === 'risk_level') return RISK_LEVELS.some((o) => o.value === value)
  if (measure.endsWith('.risk_outcome')) return codes(RISK_OUTCOMES).includes(value)
  if (measure.endsWith('.outcome')) return codes(CASE_OUTCOMES).includes(value) || FREE_TEXT.test(value)
  if (measure.endsWith('.source')) return codes(SOURCES_OF_RISK).includes(value) || FREE_TEXT.test(value)
  if (measure.endsWith('.msp_asked')) return codes(MSP_ASKED).includes(value) || FREE_TEXT.test(value)
  if (measure.endsWith('.msp_achieved')) return codes(MSP_ACHIEVED).includes(value)
  // Locations and agencies are lists each organisation may extend: any sensible text.
  return FREE_TEXT.test(value)
}

export function parseCaseListParams(query: Record<string, unknown>, serviceIds: readonly string[]): CaseListParams {
  for (const name of ['measure', 'value', 'from', 'to', 'page', 'format']) {
    if (query[name] !== undefined && typeof query[name] !== 'string') return { ok: false, message: 'The link repeats a part of the list it asks for.' }
  }
  const measure = query.measure
  if (typeof measure !== 'string' || !isCaseListMeasure(measure)) return { ok: false, message: 'The link does not name a figure Kestrel reports.' }
  const raw = query.value as string | undefined
  let value: string | null = null
  if (measureTakesValue(measure)) {
    if (raw === undefined || raw === '') {
      if (!OPTIONAL_VALUE.has(measure)) return { ok: false, message: 'The link does not say which row of the table it is for.' }
    } else if (!valueAllowed(measure, raw, serviceIds)) return { ok: false, message: 'The link names a row that does not exist.' }
    else value = raw
  } else if (raw !== undefined) return { ok: false, message: 'The link gives a row for a figure that has none.' }
  const from = realDate(query.from)
  const to = realDate(query.to)
  if (!from || !to) return { ok: false, message: 'The link must give real start and end dates.' }
  if (to < from) return { ok: false, message: 'The end date is before the start date.' }
  if (from < `${EARLIEST_REPORT_YEAR}-01-01` || daysInRange({ from, to }) > MAX_CUSTOM_DAYS + 366) return { ok: false, message: 'The dates are outside what reports cover.' }
  return { ok: true, measure, value, range: { from, to } }
}
