import type { Decision, RiskLevel } from '../db/schema.js'
import type { Problem } from './allocation-rules.js'

/** The initial decision (domain.md "Concern lifecycle"): what it records and what it requires. */
export const DECISIONS: { value: Decision; text: string; hint: string }[] = [
  { value: 'onward_referral', text: 'Onward referral', hint: 'Refer to one or more agencies (you add the referrals next)' },
  { value: 'advice_and_guidance', text: 'Advice and guidance to the referrer', hint: 'The referrer is advised what to do; no referral is needed' },
  { value: 'no_further_action', text: 'No further action', hint: 'Not a safeguarding matter, or the risk is already managed' },
  { value: 'already_known_to_agency', text: 'Already known to an agency', hint: 'An agency is already working with the person' },
]

export const RISK_LEVELS: { value: RiskLevel; text: string }[] = [
  { value: 'low', text: 'Low' },
  { value: 'medium', text: 'Medium' },
  { value: 'high', text: 'High' },
  { value: 'immediate', text: 'Immediate' },
]

export const DECISION_LABELS = Object.fromEntries(DECISIONS.map((d) => [d.value, d.text])) as Record<Decision, string>
export const RISK_LABELS = Object.fromEntries(RISK_LEVELS.map((r) => [r.value, r.text])) as Record<RiskLevel, string>

export type SecondAgreement =
  /** The Second DSO already confirmed in Kestrel. */
  | { kind: 'confirmed_in_kestrel' }
  /** The Lead records when and how the Second DSO agreed (for example, by phone). */
  | { kind: 'recorded_by_lead'; agreedAt: Date; how: string }

export interface DecisionFacts {
  dueAt: Date
  allocatedAt: Date | null
  secondAgreedAt: Date | null
  secondAgreementMethod: 'confirmed_in_kestrel' | 'recorded_by_lead' | null
}

export interface DecisionChoice {
  delayReason: string | null
  agreement: SecondAgreement | null
}

/** A decision recorded after the deadline breaches the target: the reason must be recorded. */
export function isLate(now: Date, dueAt: Date): boolean {
  return now.getTime() > dueAt.getTime()
}

/**
 * Rules that depend on the concern and the moment, beyond the form's own required fields.
 * Empty means the decision can be recorded.
 */
export function decisionProblems(facts: DecisionFacts, choice: DecisionChoice, now: Date): Problem<'delayReason' | 'agreement' | 'agreedAt'>[] {
  const problems: Problem<'delayReason' | 'agreement' | 'agreedAt'>[] = []
  const confirmed = facts.secondAgreedAt !== null && facts.secondAgreementMethod === 'confirmed_in_kestrel'
  if (!confirmed) {
    if (!choice.agreement || choice.agreement.kind !== 'recorded_by_lead') {
      problems.push({ field: 'agreement', message: 'Record when and how the Second DSO agreed, or ask them to confirm in Kestrel first' })
    } else if (choice.agreement.agreedAt.getTime() > now.getTime()) {
      problems.push({ field: 'agreedAt', message: 'The time the Second DSO agreed must be in the past' })
    } else if (facts.allocatedAt && choice.agreement.agreedAt.getTime() < facts.allocatedAt.getTime() - 60_000) {
      problems.push({ field: 'agreedAt', message: 'The time the Second DSO agreed must be after the concern was allocated' })
    }
  }
  if (isLate(now, facts.dueAt) && !choice.delayReason) {
    problems.push({ field: 'delayReason', message: 'Enter the reason the decision was made after the deadline' })
  }
  return problems
}
