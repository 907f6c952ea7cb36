import type { ConcernStatus, ReviewOutcome } from '../db/schema.js'
import type { Problem } from './allocation-rules.js'
import type { Actor } from './policy.js'
import { CASE_OUTCOMES, MSP_ACHIEVED, MSP_ASKED, RISK_OUTCOMES } from './sac-lists.js'
import type { Permission, Refusal } from './triage-access.js'

/**
 * Closure (domain.md "Concern lifecycle"; seed 000 §4.3): after a Final Review at the weekly
 * case review agrees it, the Lead DSO asks for closure with a closing summary and, for adults,
 * the Safeguarding Adults Collection outcomes; the Senior Lead Officer, who did not work on the
 * case, approves it or returns it with comments.
 */
const ALLOWED: Permission = { allowed: true }
const refuse = (reason: string): Refusal => ({ allowed: false, reason })

export interface FinalReviewFact {
  outcome: ReviewOutcome
  recordedAt: Date
}

/**
 * The case has had its Final Review: one recorded with "agreed" after the Lead DSO marked it
 * ready for closure. A Final Review that set actions or escalated sends the case back to work.
 */
export function finalReviewAgreed(readyForClosureAt: Date | null, finalReviews: readonly FinalReviewFact[]): boolean {
  if (!readyForClosureAt) return false
  const since = finalReviews.filter((r) => r.recordedAt.getTime() >= readyForClosureAt.getTime()).sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime())
  return since.at(-1)?.outcome === 'agreed'
}

export interface ClosureState {
  status: ConcernStatus
  leadDsoId: string | null
  finalReviewAgreed: boolean
  openTasks: number
  referralsAwaitingOutcome: number
}

/** Only the Lead DSO asks for closure, of an open case. */
export function mayRequestClosure(actor: Actor, state: Pick<ClosureState, 'status' | 'leadDsoId'>): Permission {
  if (state.status === 'closed') return refuse('This case is closed.')
  if (state.status === 'closure_requested') return refuse('Closure has already been requested. The Senior Lead Officer will approve it or return it.')
  if (state.status !== 'open') return refuse('Only an open case (after its initial decision) can be closed.')
  if (state.leadDsoId !== actor.id || !actor.roles.has('dso')) return refuse('Only the Lead DSO can request closure.')
  return ALLOWED
}

/** What must be true of the case itself before closure can be requested (each a clear reason). */
export function closureReadinessProblems(state: ClosureState): string[] {
  const problems: string[] = []
  if (!state.finalReviewAgreed) problems.push('This case has not had its Final Review. Mark it ready for closure so it goes on the next weekly case review, where its Final Review is recorded.')
  if (state.openTasks > 0) problems.push(`Complete the ${state.openTasks === 1 ? 'open task' : `${state.openTasks} open tasks`} before requesting closure.`)
  if (state.referralsAwaitingOutcome > 0) problems.push(`Record the outcome of ${state.referralsAwaitingOutcome === 1 ? 'the onward referral' : `the ${state.referralsAwaitingOutcome} onward referrals`} still waiting for one.`)
  return problems
}

export interface ClosureAnswers {
  closingSummary: string | null
  sacOutcome: string | null
  riskOutcome: string | null
  mspAsked: string | null
  mspAchieved: string | null
}

export type ClosureField = keyof ClosureAnswers

const has = (options: readonly { value: string }[], value: string | null) => value !== null && options.some((o) => o.value === value)

/** SAC outcomes after which there is no risk to report on. */
const NO_RISK_OUTCOMES = new Set(['no_risk_action_taken', 'no_risk_no_action', 'ceased_at_request'])

export function riskOutcomeApplies(sacOutcome: string | null): boolean {
  return sacOutcome !== null && !NO_RISK_OUTCOMES.has(sacOutcome)
}

/**
 * The closing answers. For an adult: the SAC outcome (SG2c), the risk outcome (unless no risk
 * was identified or the enquiry ceased) and the Making Safeguarding Personal answers (SG4a);
 * "achieved" is asked only when the person expressed outcomes.
 */
export function closureAnswerProblems(answers: ClosureAnswers, isAdult: boolean): Problem<ClosureField>[] {
  const problems: Problem<ClosureField>[] = []
  if (!answers.closingSummary) problems.push({ field: 'closingSummary', message: 'Enter a closing summary' })
  if (!isAdult) return problems
  if (!has(CASE_OUTCOMES, answers.sacOutcome)) problems.push({ field: 'sacOutcome', message: 'Select the outcome of the enquiry' })
  if (has(CASE_OUTCOMES, answers.sacOutcome) && riskOutcomeApplies(answers.sacOutcome) && !has(RISK_OUTCOMES, answers.riskOutcome)) problems.push({ field: 'riskOutcome', message: 'Select the risk outcome' })
  if (!has(MSP_ASKED, answers.mspAsked)) problems.push({ field: 'mspAsked', message: 'Select whether the person was asked what outcomes they wanted' })
  if (answers.mspAsked === 'asked_expressed' && !has(MSP_ACHIEVED, answers.mspAchieved)) problems.push({ field: 'mspAchieved', message: 'Select whether the outcomes they wanted were achieved' })
  return problems
}

/** The answers stored: questions that do not apply are left empty, whatever was sent. */
export function storedClosureAnswers(answers: ClosureAnswers, isAdult: boolean): ClosureAnswers {
  if (!isAdult) return { closingSummary: answers.closingSummary, sacOutcome: null, riskOutcome: null, mspAsked: null, mspAchieved: null }
  return {
    closingSummary: answers.closingSummary,
    sacOutcome: answers.sacOutcome,
    riskOutcome: riskOutcomeApplies(answers.sacOutcome) ? answers.riskOutcome : null,
    mspAsked: answers.mspAsked,
    mspAchieved: answers.mspAsked === 'asked_expressed' ? answers.mspAchieved : null,
  }
}

export interface CaseParticipants {
  referrer_user_id: string
  lead_dso_id: string | null
  second_dso_id: string | null
  allocated_by: string | null
  decided_by: string | null
  closure_requested_by: string | null
}

/**
 * Everyone who worked on the case: who raised it, every Lead and Second DSO and allocator it has
 * had, who decided it and asked for closure, and everyone who added to the record (note, task,
 * document, onward referral, manual chronology entry — `contributors`, read from the record).
 * Chairing the weekly meeting that reviewed it, or returning an earlier closure request, is not
 * working on it.
 */
export function caseWorkers(concern: CaseParticipants, contributors: Iterable<string | null>): Set<string> {
  const ids = [concern.referrer_user_id, concern.lead_dso_id, concern.second_dso_id, concern.allocated_by, concern.decided_by, concern.closure_requested_by, ...contributors]
  return new Set(ids.filter((id): id is string => !!id))
}

/** The Senior Lead Officer decides a pending closure request, unless they worked on the case. */
export function mayDecideClosure(actor: Actor, concern: { status: ConcernStatus }, workers: ReadonlySet<string>): Permission {
  if (!actor.roles.has('senior_lead_officer')) return refuse('Only the Senior Lead Officer can approve or return a closure request.')
  if (concern.status !== 'closure_requested') return refuse('There is no closure request waiting for a decision on this case.')
  if (workers.has(actor.id)) return refuse('You worked on this case, so you cannot decide its closure. Another Senior Lead Officer must.')
  return ALLOWED
}

export type ClosureDecision = 'approve' | 'return'

export function closureDecisionProblems(decision: string | undefined, comments: string | null): Problem<'decision' | 'comments'>[] {
  if (decision !== 'approve' && decision !== 'return') return [{ field: 'decision', message: 'Select whether to approve the closure or return it' }]
  if (decision === 'return' && !comments) return [{ field: 'comments', message: 'Enter what the Lead DSO needs to do before the case can be closed' }]
  return []
}
