/** Default reference lists from design/domain.md (the Safeguarding Adults Collection and child protection categories). */

export const AT_RISK_OPTIONS = [
  { value: 'adult', text: 'An adult', hint: 'Aged 18 or over' },
  { value: 'child', text: 'A child', hint: 'Under 18' },
  { value: 'unborn', text: 'An unborn child', hint: 'Give the expectant parent’s details' },
  { value: 'household', text: 'A household', hint: 'Adults and children living together' },
] as const
export type AtRiskValue = (typeof AT_RISK_OPTIONS)[number]['value']

export const ADULT_CONCERN_TYPES = [
  'Physical Abuse',
  'Sexual Abuse',
  'Psychological Abuse',
  'Financial or Material Abuse',
  'Discriminatory Abuse',
  'Organisational Abuse',
  'Neglect and Acts of Omission',
  'Domestic Abuse',
  'Sexual Exploitation',
  'Modern Slavery',
  'Self-Neglect',
] as const

export const CHILD_CONCERN_TYPES = [
  'Physical abuse',
  'Emotional abuse',
  'Sexual abuse',
  'Neglect',
  'Child sexual exploitation',
  'Child criminal exploitation / county lines',
  'Domestic abuse',
  'Female genital mutilation',
  'Radicalisation',
  'Online harm',
  'Missing from home or care',
  'Other',
] as const

/** Concern types are stored as 'adult:<name>' or 'child:<name>' so the two lists never collide. */
export type ConcernTypeCode = `adult:${(typeof ADULT_CONCERN_TYPES)[number]}` | `child:${(typeof CHILD_CONCERN_TYPES)[number]}`

export const CONCERN_TYPE_CODES: readonly ConcernTypeCode[] = [
  ...ADULT_CONCERN_TYPES.map((t) => `adult:${t}` as const),
  ...CHILD_CONCERN_TYPES.map((t) => `child:${t}` as const),
]

export function concernTypeLabel(code: string): string {
  const [group, ...rest] = code.split(':')
  const name = rest.join(':')
  return group === 'adult' ? `${name} (adult)` : group === 'child' ? `${name} (child)` : code
}

/** Which type lists apply to who is at risk. */
export function allowedTypeGroups(atRisk: AtRiskValue): ReadonlyArray<'adult' | 'child'> {
  switch (atRisk) {
    case 'adult':
      return ['adult']
    case 'child':
    case 'unborn':
      return ['child']
    case 'household':
      return ['adult', 'child']
  }
}

export const LOCATIONS = [
  'Own Home',
  'In the Community (excluding community services)',
  'In a Community Service',
  'Care Home - Nursing',
  'Care Home - Residential',
  'Hospital - Acute',
  'Hospital - Mental Health',
  'Hospital - Community',
  'Other',
] as const

export const PERSON_AWARE_OPTIONS = [
  { value: 'knows_and_agrees', text: 'Yes, they know and agree' },
  { value: 'knows_does_not_agree', text: 'They know but do not agree' },
  { value: 'does_not_know', text: 'No, they do not know' },
  { value: 'not_appropriate', text: 'It was not safe or appropriate to tell them', hint: 'For example, telling them could put someone at greater risk, or the person is a young child' },
] as const
export type PersonAwareValue = (typeof PERSON_AWARE_OPTIONS)[number]['value']

export const DEFAULT_REFERRING_SERVICES = [
  'Customer Services',
  'Housing Management',
  'Housing Choices',
  'Environmental Protection',
  'Asset Management/Repairs',
  'Stronger & Safer Communities',
  'Leisure Services',
  'Revenues & Benefits',
  'Business Focus',
  'Environmental Health',
] as const

export function labelFor<T extends { value: string; text: string }>(options: readonly T[], value: string): string {
  return options.find((o) => o.value === value)?.text ?? value
}
