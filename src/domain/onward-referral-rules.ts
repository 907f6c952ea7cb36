import type { Consent, ReferralMethod, ReferralOutcome } from '../db/schema.js'
import type { Problem } from './allocation-rules.js'

/** Onward agencies (domain.md "Onward agencies"): the defaults each organisation starts with. */
export const DEFAULT_AGENCIES = [
  'Adult Social Care',
  'Children’s Social Care (MASH)',
  'Police',
  'Domestic abuse link worker',
  'Children and Family Wellbeing Service (early help)',
  'Action Fraud',
  'MARAC',
  'Prevent/Channel',
  'GP or health service',
  'Fire and Rescue (safe and well visit)',
  'Housing options',
  'LADO',
  'Other',
] as const

/** The agency whose name the DSO types in. */
export const OTHER_AGENCY = 'Other'

export const REFERRAL_METHODS: { value: ReferralMethod; text: string }[] = [
  { value: 'phone', text: 'Phone' },
  { value: 'email', text: 'Email' },
  { value: 'portal', text: 'Online portal' },
  { value: 'form', text: 'Referral form' },
  { value: 'in_person', text: 'In person' },
  { value: 'other', text: 'Other' },
]

export const CONSENT_OPTIONS: { value: Consent; text: string }[] = [
  { value: 'given', text: 'Consent given' },
  { value: 'refused_referred', text: 'Consent refused, referred anyway' },
  { value: 'not_sought', text: 'Consent not sought' },
]

/** Lawful reasons to share without consent (domain.md "Consent to an onward referral"). */
export const CONSENT_OVERRIDE_REASONS = [
  { value: 'risk_to_child', text: 'Risk to a child' },
  { value: 'risk_to_others', text: 'Risk to others' },
  { value: 'serious_crime', text: 'To prevent or detect a serious crime' },
  { value: 'lacks_capacity', text: 'The person lacks capacity to consent' },
  { value: 'vital_interests', text: 'To protect the person’s vital interests' },
] as const
export type ConsentOverrideReason = (typeof CONSENT_OVERRIDE_REASONS)[number]['value']

export const REFERRAL_OUTCOMES: { value: ReferralOutcome; text: string }[] = [
  { value: 'accepted', text: 'Accepted by the agency' },
  { value: 'no_further_action', text: 'No further action by the agency' },
  { value: 'signposted', text: 'Signposted elsewhere' },
  { value: 'already_open', text: 'Already open to the agency' },
  { value: 'other', text: 'Other' },
]

export const METHOD_LABELS = Object.fromEntries(REFERRAL_METHODS.map((m) => [m.value, m.text])) as Record<ReferralMethod, string>
export const CONSENT_LABELS = Object.fromEntries(CONSENT_OPTIONS.map((m) => [m.value, m.text])) as Record<Consent, string>
export const OUTCOME_LABELS = Object.fromEntries(REFERRAL_OUTCOMES.map((m) => [m.value, m.text])) as Record<ReferralOutcome, string>

export function consentReasonLabel(consent: Consent, reason: string | null): string | null {
  if (!reason) return null
  if (consent === 'refused_referred') return CONSENT_OVERRIDE_REASONS.find((r) => r.value === reason)?.text ?? reason
  return reason
}

export interface ReferralDates {
  /** London date the referral was made. */
  madeOn: string
  followUpOn: string | null
}

export interface ConsentChoice {
  consent: Consent
  refusedReason: string | null
  notSoughtReason: string | null
}

/** Date and consent rules for a new onward referral. Empty means it can be recorded. */
export function referralProblems(dates: ReferralDates, consent: ConsentChoice, today: string): Problem<'madeOn' | 'followUpOn' | 'refusedReason' | 'notSoughtReason'>[] {
  const problems: Problem<'madeOn' | 'followUpOn' | 'refusedReason' | 'notSoughtReason'>[] = []
  if (dates.madeOn > today) problems.push({ field: 'madeOn', message: 'The date the referral was made must be today or in the past' })
  if (dates.followUpOn && dates.followUpOn < dates.madeOn) problems.push({ field: 'followUpOn', message: 'The follow-up date must be on or after the date the referral was made' })
  if (consent.consent === 'refused_referred' && !CONSENT_OVERRIDE_REASONS.some((r) => r.value === consent.refusedReason)) {
    problems.push({ field: 'refusedReason', message: 'Select why you referred without consent' })
  }
  if (consent.consent === 'not_sought' && !consent.notSoughtReason) problems.push({ field: 'notSoughtReason', message: 'Enter why consent was not sought' })
  return problems
}

/** The stored consent reason: the lawful-basis code when refused, the DSO's words when not sought. */
export function storedConsentReason(consent: ConsentChoice): string | null {
  if (consent.consent === 'refused_referred') return consent.refusedReason
  if (consent.consent === 'not_sought') return consent.notSoughtReason
  return null
}

/** An outcome is overdue when its follow-up date has passed and no outcome is recorded yet. */
export function isFollowUpOverdue(referral: { follow_up_on: string | null; outcome: string | null }, today: string): boolean {
  return referral.outcome === null && referral.follow_up_on !== null && referral.follow_up_on < today
}
