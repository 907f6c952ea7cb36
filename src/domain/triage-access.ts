import type { ConcernStatus } from '../db/schema.js'
import type { Actor } from './policy.js'

/**
 * Record-level triage rules, checked after the concern is loaded (the policy table has already
 * said the person's role may use the route).
 */
export interface TriageState {
  status: ConcernStatus
  lead_dso_id: string | null
  second_dso_id: string | null
  second_agreed_at: Date | null
}

export type Refusal = { allowed: false; reason: string }
export type Permission = { allowed: true } | Refusal

const ALLOWED: Permission = { allowed: true }
const refuse = (reason: string): Refusal => ({ allowed: false, reason })

export function isLeadDso(actor: Pick<Actor, 'id'>, concern: Pick<TriageState, 'lead_dso_id'>): boolean {
  return concern.lead_dso_id !== null && concern.lead_dso_id === actor.id
}

export function isSecondDso(actor: Pick<Actor, 'id'>, concern: Pick<TriageState, 'second_dso_id'>): boolean {
  return concern.second_dso_id !== null && concern.second_dso_id === actor.id
}

/**
 * A new concern is allocated by a DSO on duty today or by a safeguarding manager. Changing an
 * existing allocation (reallocation, with a reason) is for managers only.
 */
export function mayAllocate(actor: Actor, concern: TriageState, onDutyToday: boolean): Permission {
  const manager = actor.roles.has('safeguarding_manager')
  if (concern.status === 'closed' || concern.status === 'closure_requested') return refuse('This concern is being closed, so it cannot be reallocated.')
  if (concern.status === 'submitted') {
    if (manager || (actor.roles.has('dso') && onDutyToday)) return ALLOWED
    return refuse('Only a DSO on duty today or a safeguarding manager can allocate this concern.')
  }
  if (manager) return ALLOWED
  return refuse('Only a safeguarding manager can reallocate a concern.')
}

/** Only the Lead DSO records the initial decision, once, while the concern is allocated. */
export function mayRecordDecision(actor: Actor, concern: TriageState): Permission {
  if (concern.status !== 'allocated') return refuse(concern.status === 'submitted' ? 'The concern must be allocated before a decision is recorded.' : 'The initial decision has already been recorded.')
  if (!actor.roles.has('dso') || !isLeadDso(actor, concern)) return refuse('Only the Lead DSO can record the initial decision.')
  return ALLOWED
}

/** The Second DSO confirms their agreement in Kestrel, before the Lead records the decision. */
export function mayConfirmAgreement(actor: Actor, concern: TriageState): Permission {
  if (concern.status !== 'allocated') return refuse('Agreement can only be given before the initial decision is recorded.')
  if (!actor.roles.has('dso') || !isSecondDso(actor, concern)) return refuse('Only the Second DSO can confirm their agreement.')
  if (concern.second_agreed_at) return refuse('The Second DSO has already agreed.')
  return ALLOWED
}

/** Onward referrals and their outcomes are recorded by the Lead DSO once the concern is addressed. */
export function mayManageReferrals(actor: Actor, concern: TriageState): Permission {
  if (concern.status !== 'open' && concern.status !== 'closure_requested') return refuse(concern.status === 'closed' ? 'This concern is closed.' : 'Record the initial decision before adding onward referrals.')
  if (!actor.roles.has('dso') || !isLeadDso(actor, concern)) return refuse('Only the Lead DSO can record onward referrals and their outcomes.')
  return ALLOWED
}
