import { ADULT_CONCERN_TYPES, AT_RISK_OPTIONS, CHILD_CONCERN_TYPES, concernTypeLabel, LOCATIONS } from '../reference-lists.js'
import { CASE_OUTCOMES, DECISIONS, MSP_ACHIEVED, MSP_ASKED, optionText, RISK_LEVELS, RISK_OUTCOMES, SOURCES_OF_RISK, type Option } from '../sac-lists.js'
import { ageRows, type AgeBandSettings } from './age-bands.js'
import { BREAKDOWNS, type BreakdownKey, type Measure } from './measures.js'

/** Counts for one period: measure → value → number ('' is the value of an unvalued measure). */
export type Counts = Map<string, Map<string, number>>

export function emptyCounts(): Counts {
  return new Map()
}

export function addCount(counts: Counts, measure: string, value: string, n: number): void {
  let values = counts.get(measure)
  if (!values) counts.set(measure, (values = new Map()))
  values.set(value, (values.get(value) ?? 0) + n)
}

export function countOf(counts: Counts, measure: Measure, value = ''): number {
  return counts.get(measure)?.get(value) ?? 0
}

export function valuesOf(counts: Counts, measure: Measure): Map<string, number> {
  return counts.get(measure) ?? new Map()
}

export function sumOf(counts: Counts, measure: Measure): number {
  let total = 0
  for (const n of valuesOf(counts, measure).values()) total += n
  return total
}

export interface Ratio {
  n: number
  of: number
  /** Whole per cent, rounded half up; null when nothing was counted. */
  percent: number | null
}

export function ratio(n: number, of: number): Ratio {
  return { n, of, percent: of === 0 ? null : Math.round((n * 100) / of) }
}

/** The median of a histogram of whole working days ('3' → 12 concerns). Null when empty. */
export function medianOf(histogram: ReadonlyMap<string, number>): number | null {
  const entries = [...histogram].map(([k, n]) => [Number(k), n] as const).filter(([k, n]) => Number.isFinite(k) && n > 0).sort((a, b) => a[0] - b[0])
  const total = entries.reduce((s, [, n]) => s + n, 0)
  if (total === 0) return null
  const at = (position: number): number => {
    let seen = 0
    for (const [value, n] of entries) {
      seen += n
      if (position < seen) return value
    }
    return entries[entries.length - 1]![0]
  }
  // Positions are 0-based: the middle one, or the mean of the middle two.
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2
}

/** Figures that come from outside the daily counts: they depend on the period's end or on today. */
export interface LiveFigures {
  /** Received in the period, not addressed, deadline passed. */
  unaddressedPastDeadline: number
  /** Received by the period's end and not closed by it. */
  openAtEnd: number
}

export interface Headline {
  received: number
  withinTarget: Ratio
  onwardReferral: Ratio
  referringServices: number
  repeat: Ratio
  reopened: number
  closed: number
  openAtEnd: number
  medianDaysToAddress: number | null
  medianDaysToClose: number | null
  onwardReferralsMade: number
}

/**
 * The headline indicators of domain.md "Performance indicators":
 * - % within target = addressed within the deadline ÷ (addressed + deadline passed unaddressed);
 * - % onward referral = decisions of onward_referral ÷ concerns with a decision, for the
 *   concerns received in the period ("referrals made during 2022-23 resulted in …", seed 000 §5.4).
 */
export function headline(counts: Counts, live: LiveFigures): Headline {
  const received = countOf(counts, 'received')
  const services = [...valuesOf(counts, 'received.service').values()].filter((n) => n > 0).length
  return {
    received,
    withinTarget: ratio(countOf(counts, 'within_target'), countOf(counts, 'addressed') + live.unaddressedPastDeadline),
    onwardReferral: ratio(countOf(counts, 'decided_onward'), countOf(counts, 'decided')),
    referringServices: services,
    repeat: ratio(countOf(counts, 'repeat'), received),
    reopened: countOf(counts, 'reopened'),
    closed: countOf(counts, 'closed'),
    openAtEnd: live.openAtEnd,
    medianDaysToAddress: medianOf(valuesOf(counts, 'wd_to_address')),
    medianDaysToClose: medianOf(valuesOf(counts, 'wd_to_close')),
    onwardReferralsMade: sumOf(counts, 'referral.agency'),
  }
}

export interface LabelContext {
  services: readonly { id: string; name: string }[]
  agencies: readonly string[]
  ageSettings: AgeBandSettings
}

export interface BreakdownRow {
  /** The value a case list filters on (a service id, a type code, an age band …). */
  value: string
  label: string
  counts: number[]
  isTotal?: boolean
}

function ordered(values: Iterable<string>, known: readonly Option[]): Option[] {
  const seen = new Set(values)
  const rows = known.filter((o) => seen.has(o.value))
  const extra = [...seen].filter((v) => !known.some((o) => o.value === v)).sort()
  return [...rows, ...extra.map((v) => ({ value: v, text: v === '' || v === 'not_recorded' ? 'Not recorded' : v }))]
}

function knownOptions(key: BreakdownKey, ctx: LabelContext): readonly Option[] {
  switch (key) {
    case 'service':
      return ctx.services.map((s) => ({ value: s.id, text: s.name }))
    case 'at_risk':
      return AT_RISK_OPTIONS.map((o) => ({ value: o.value, text: o.text.replace(/^An? /, '').replace(/^./, (c) => c.toUpperCase()) }))
    case 'type':
      return [...ADULT_CONCERN_TYPES.map((t) => `adult:${t}`), ...CHILD_CONCERN_TYPES.map((t) => `child:${t}`)].map((v) => ({ value: v, text: concernTypeLabel(v) }))
    case 'location':
      return LOCATIONS.map((l) => ({ value: l, text: l }))
    case 'decision':
      return DECISIONS
    case 'risk_level':
      return RISK_LEVELS
    case 'agency':
      return ctx.agencies.map((a) => ({ value: a, text: a }))
    case 'outcome':
      return CASE_OUTCOMES
    case 'age':
      return []
  }
}

/**
 * A breakdown as rows × periods (each column one Counts). Rows with nothing in any period are
 * left out, except the organisation's own services and the age bands, which are always shown.
 * The total row is a distinct count where one exists (a concern with two types is one concern).
 */
export function breakdownRows(key: BreakdownKey, columns: readonly Counts[], ctx: LabelContext): BreakdownRow[] {
  const spec = BREAKDOWNS[key]
  if (key === 'age') {
    const perColumn = columns.map((c) => ageRows(valuesOf(c, 'received.age'), ctx.ageSettings))
    const rows: BreakdownRow[] = perColumn[0]!.map((row, i) => ({ value: row.key, label: row.label, counts: perColumn.map((col) => col[i]!.n), ...(row.isTotal ? { isTotal: true } : {}) }))
    return [...rows.filter((r) => r.isTotal || r.value !== 'unborn' || r.counts.some((n) => n > 0)), { value: '', label: 'All concerns', counts: columns.map((c) => countOf(c, 'received')), isTotal: true }]
  }
  const present = new Set<string>()
  for (const c of columns) for (const [v, n] of valuesOf(c, spec.measure)) if (n > 0) present.add(v)
  const always = key === 'service' ? ctx.services.map((s) => s.id) : []
  const options = ordered([...present, ...always], knownOptions(key, ctx))
  const rows: BreakdownRow[] = options.map((o) => ({ value: o.value, label: o.text, counts: columns.map((c) => valuesOf(c, spec.measure).get(o.value) ?? 0) }))
  const total = spec.total
  rows.push({
    value: '',
    label: totalLabel(key),
    counts: columns.map((c) => (total ? countOf(c, total) : sumOf(c, spec.measure))),
    isTotal: true,
  })
  return rows
}

function totalLabel(key: BreakdownKey): string {
  switch (key) {
    case 'agency':
      return 'All onward referrals'
    case 'decision':
    case 'risk_level':
      return 'All decisions'
    case 'outcome':
      return 'All cases closed'
    default:
      return 'All concerns'
  }
}

/** Labels for values in case-list headings and exports. */
export function valueLabel(measure: string, value: string, ctx: LabelContext): string {
  if (measure.endsWith('.service')) return ctx.services.find((s) => s.id === value)?.name ?? 'Unknown service'
  if (measure.endsWith('.type')) return concernTypeLabel(value)
  if (measure.endsWith('.at_risk')) return knownOptions('at_risk', ctx).find((o) => o.value === value)?.text ?? value
  if (measure === 'decision') return optionText(DECISIONS, value)
  if (measure === 'risk_level') return optionText(RISK_LEVELS, value)
  if (measure.endsWith('.outcome')) return optionText(CASE_OUTCOMES, value)
  if (measure.endsWith('.risk_outcome')) return optionText(RISK_OUTCOMES, value)
  if (measure.endsWith('.source')) return optionText(SOURCES_OF_RISK, value)
  if (measure.endsWith('.msp_asked')) return optionText(MSP_ASKED, value)
  if (measure.endsWith('.msp_achieved')) return optionText(MSP_ACHIEVED, value)
  if (measure.endsWith('.age')) {
    if (value === 'unborn') return 'Unborn'
    if (value === 'unknown') return 'Age not known'
    return value.endsWith('+') ? `aged ${value.slice(0, -1)} and over` : `aged ${value.replace('-', ' to ')}`
  }
  return value === 'not_recorded' ? 'Not recorded' : value
}

/** Several periods' counts added together (months into quarters; each concern sits in one month per measure). */
export function mergeCounts(parts: Iterable<Counts>): Counts {
  const total = emptyCounts()
  for (const part of parts) for (const [measure, values] of part) for (const [value, n] of values) addCount(total, measure, value, n)
  return total
}
