/**
 * What reports count, and on which date (domain.md "Performance indicators"). Each measure is
 * counted once per concern (or per onward referral) on its own date: referrals on the date
 * received, decisions on the decision date (`addressed_at`), onward referrals on the date made,
 * outcomes on the closure date. The same names are used by the daily counts and by the case
 * lists behind every figure, so a figure and its list always agree.
 */
export type DateBasis = 'received' | 'decided' | 'referred' | 'closed'

export const MEASURES = {
  received: { basis: 'received', label: 'Concerns received' },
  'received.service': { basis: 'received', label: 'Concerns received from a service' },
  'received.at_risk': { basis: 'received', label: 'Concerns received, by who is at risk' },
  'received.type': { basis: 'received', label: 'Concerns received, by type of concern' },
  'received.age': { basis: 'received', label: 'Concerns received, by age' },
  'received.location': { basis: 'received', label: 'Concerns received, by location of risk' },
  addressed: { basis: 'received', label: 'Concerns addressed' },
  within_target: { basis: 'received', label: 'Concerns addressed within the target' },
  decided: { basis: 'received', label: 'Concerns with a decision' },
  decided_onward: { basis: 'received', label: 'Concerns resulting in an onward referral' },
  repeat: { basis: 'received', label: 'Repeat concerns about the same person within 12 months' },
  reopened: { basis: 'received', label: 'Cases reopened after closure' },
  wd_to_address: { basis: 'received', label: 'Working days to address' },
  decision: { basis: 'decided', label: 'Decisions made' },
  risk_level: { basis: 'decided', label: 'Decisions made, by risk level' },
  'referral.agency': { basis: 'referred', label: 'Onward referrals made' },
  closed: { basis: 'closed', label: 'Cases closed' },
  wd_to_close: { basis: 'closed', label: 'Working days to close' },
  'closed.outcome': { basis: 'closed', label: 'Cases closed, by outcome' },
  adult_closed: { basis: 'closed', label: 'Adult cases closed' },
  'adult_closed.type': { basis: 'closed', label: 'Adult cases closed, by type of risk' },
  'adult_closed.location': { basis: 'closed', label: 'Adult cases closed, by location of risk' },
  'adult_closed.source': { basis: 'closed', label: 'Adult cases closed, by source of risk' },
  'adult_closed.outcome': { basis: 'closed', label: 'Adult cases closed, by outcome' },
  'adult_closed.risk_outcome': { basis: 'closed', label: 'Adult cases closed, by risk outcome' },
  'adult_closed.msp_asked': { basis: 'closed', label: 'Adult cases closed: Making Safeguarding Personal, asked' },
  'adult_closed.msp_achieved': { basis: 'closed', label: 'Adult cases closed: Making Safeguarding Personal, outcomes achieved' },
} as const satisfies Record<string, { basis: DateBasis; label: string }>

export type Measure = keyof typeof MEASURES

/** Lists that exist only behind a figure (they depend on the period's end or on today). */
export const LIST_ONLY = {
  open_at_end: { basis: 'received', label: 'Open at the end of the period' },
  target_counted: { basis: 'received', label: 'Concerns whose deadline has passed or which were addressed' },
  missed_target: { basis: 'received', label: 'Concerns not addressed within the target' },
} as const satisfies Record<string, { basis: DateBasis; label: string }>

export type CaseListMeasure = Measure | keyof typeof LIST_ONLY

export function isMeasure(value: string): value is Measure {
  return Object.hasOwn(MEASURES, value)
}

export function isCaseListMeasure(value: string): value is CaseListMeasure {
  return isMeasure(value) || Object.hasOwn(LIST_ONLY, value)
}

export function caseListMeasureLabel(measure: CaseListMeasure): string {
  return isMeasure(measure) ? MEASURES[measure].label : LIST_ONLY[measure as keyof typeof LIST_ONLY].label
}

/** Measures whose values name something (a service, a type, an age): a case list needs a value for them. */
export function measureTakesValue(measure: CaseListMeasure): boolean {
  return measure.includes('.') || measure === 'decision' || measure === 'risk_level'
}

export const BASIS_TEXT: Record<DateBasis, string> = {
  received: 'counted by the date each concern was received',
  decided: 'counted by the date of the initial decision',
  referred: 'counted by the date each onward referral was made',
  closed: 'counted by the date each case was closed',
}

/** Breakdowns offered on the dashboard and as quarterly scorecards. */
export const BREAKDOWNS = {
  service: { label: 'Referring service', measure: 'received.service', total: 'received' },
  at_risk: { label: 'Adult or child', measure: 'received.at_risk', total: 'received' },
  type: { label: 'Type of concern', measure: 'received.type', total: 'received' },
  age: { label: 'Age', measure: 'received.age', total: 'received' },
  location: { label: 'Location of risk', measure: 'received.location', total: 'received' },
  decision: { label: 'Decision', measure: 'decision', total: null },
  risk_level: { label: 'Risk level', measure: 'risk_level', total: null },
  agency: { label: 'Agency referred to', measure: 'referral.agency', total: null },
  outcome: { label: 'Outcome of closed cases', measure: 'closed.outcome', total: 'closed' },
} as const satisfies Record<string, { label: string; measure: Measure; total: Measure | null }>

export type BreakdownKey = keyof typeof BREAKDOWNS
export const BREAKDOWN_KEYS = Object.keys(BREAKDOWNS) as BreakdownKey[]

export function isBreakdownKey(value: string): value is BreakdownKey {
  return Object.hasOwn(BREAKDOWNS, value)
}
