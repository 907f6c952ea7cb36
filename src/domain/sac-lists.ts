/**
 * Reference lists from the Safeguarding Adults Collection (domain.md "Outcome of an adult
 * enquiry", "Making Safeguarding Personal", "Source of risk") and the partnership scorecards
 * (seed 002 §9). Values are stored as the codes; the texts are what people and reports read.
 */
export interface Option {
  value: string
  text: string
}

/** SG2c outcomes, then the partnership scorecard outcomes (Substantiated … Inconclusive). */
export const CASE_OUTCOMES: readonly Option[] = [
  { value: 'risk_identified_action_taken', text: 'Risk identified and action taken' },
  { value: 'risk_identified_no_action', text: 'Risk identified and no action taken' },
  { value: 'inconclusive_action_taken', text: 'Risk - assessment inconclusive and action taken' },
  { value: 'inconclusive_no_action', text: 'Risk - assessment inconclusive and no action taken' },
  { value: 'no_risk_action_taken', text: 'No risk identified and action taken' },
  { value: 'no_risk_no_action', text: 'No risk identified and no action taken' },
  { value: 'ceased_at_request', text: 'Enquiry ceased at individual’s request and no action taken' },
  { value: 'substantiated', text: 'Substantiated' },
  { value: 'partly_substantiated', text: 'Partly Substantiated' },
  { value: 'not_substantiated', text: 'Not Substantiated' },
  { value: 'inconclusive', text: 'Not Determined/Inconclusive' },
]

export const RISK_OUTCOMES: readonly Option[] = [
  { value: 'risk_remained', text: 'Risk remained' },
  { value: 'risk_reduced', text: 'Risk reduced' },
  { value: 'risk_removed', text: 'Risk removed' },
]

export const SOURCES_OF_RISK: readonly Option[] = [
  { value: 'service_provider', text: 'Service Provider' },
  { value: 'known_to_individual', text: 'Other - Known to Individual' },
  { value: 'unknown_to_individual', text: 'Other - Unknown to Individual' },
]

export const MSP_ASKED: readonly Option[] = [
  { value: 'asked_expressed', text: 'Yes, they were asked and outcomes were expressed' },
  { value: 'asked_not_expressed', text: 'Yes, they were asked but no outcomes were expressed' },
  { value: 'not_asked', text: 'No, they were not asked' },
  { value: 'dont_know', text: 'Don’t know' },
  { value: 'not_recorded', text: 'Not recorded' },
]

export const MSP_ACHIEVED: readonly Option[] = [
  { value: 'fully', text: 'Fully achieved' },
  { value: 'partially', text: 'Partially achieved' },
  { value: 'not', text: 'Not achieved' },
]

export const DECISIONS: readonly Option[] = [
  { value: 'onward_referral', text: 'Onward referral' },
  { value: 'advice_and_guidance', text: 'Advice and guidance' },
  { value: 'no_further_action', text: 'No further action' },
  { value: 'already_known_to_agency', text: 'Already known to an agency' },
]

export const RISK_LEVELS: readonly Option[] = [
  { value: 'low', text: 'Low' },
  { value: 'medium', text: 'Medium' },
  { value: 'high', text: 'High' },
  { value: 'immediate', text: 'Immediate' },
]

/** Kept only for imported historical records (a concern raised in Kestrel has no gender field). */
export const GENDERS: readonly Option[] = [
  { value: 'female', text: 'Female' },
  { value: 'male', text: 'Male' },
  { value: 'other', text: 'Other' },
  { value: 'not_known', text: 'Not known' },
]

/** Who raised a historical concern (a local list; seed 002 §9.3 "Source of Referral"). */
export const SOURCES_OF_CONCERN: readonly Option[] = [
  { value: 'council_staff', text: 'Council staff' },
  { value: 'family_member', text: 'Family member' },
  { value: 'friend_neighbour', text: 'Friend or neighbour' },
  { value: 'self', text: 'Self' },
  { value: 'residential_care_staff', text: 'Residential care staff' },
  { value: 'domiciliary_care_staff', text: 'Domiciliary care staff' },
  { value: 'day_care_staff', text: 'Day care staff' },
  { value: 'social_worker', text: 'Social worker or care manager' },
  { value: 'gp', text: 'GP' },
  { value: 'primary_health_care', text: 'Primary health care' },
  { value: 'secondary_health_care', text: 'Secondary health care' },
  { value: 'mental_health', text: 'Mental health service' },
  { value: 'police', text: 'Police' },
  { value: 'housing', text: 'Housing' },
  { value: 'education', text: 'Education' },
  { value: 'care_quality_commission', text: 'Care Quality Commission' },
  { value: 'other', text: 'Other' },
  { value: 'not_known', text: 'Not known' },
]

export function optionText(options: readonly Option[], value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return 'Not recorded'
  return options.find((o) => o.value === value)?.text ?? value
}

/** Case-insensitive match on the code or the text, ignoring spaces, dashes and apostrophes. */
export function matchOption(options: readonly Option[], typed: string): Option | undefined {
  const key = looseKey(typed)
  if (!key) return undefined
  return options.find((o) => looseKey(o.value) === key || looseKey(o.text) === key)
}

export function looseKey(text: string): string {
  return text.toLowerCase().replace(/[’'`]/g, '').replace(/[^a-z0-9]+/g, ' ').trim()
}
