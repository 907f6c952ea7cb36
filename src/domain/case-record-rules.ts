import type { ConcernStatus } from '../db/schema.js'
import type { Actor } from './policy.js'
import type { Permission, Refusal } from './triage-access.js'

/**
 * Who may change a case record (notes, tasks, documents, manual chronology entries, people) and
 * when. Checked after the case is loaded; the policy table has already admitted the role.
 */
const ALLOWED: Permission = { allowed: true }
const refuse = (reason: string): Refusal => ({ allowed: false, reason })

export const CLOSED_CASE_MESSAGE = 'This case is closed, so it is read-only. A safeguarding manager can reopen it, giving a reason.'

/** A closed case is read-only everywhere until a manager reopens it. */
export function isReadOnly(concern: { status: ConcernStatus }): boolean {
  return concern.status === 'closed'
}

function isCaseWorker(actor: Actor): boolean {
  return actor.roles.has('dso') || actor.roles.has('safeguarding_manager')
}

/** DSOs and managers add to a case they can see, from allocation until it is closed. */
export function mayAddToCase(actor: Actor, concern: { status: ConcernStatus }): Permission {
  if (!isCaseWorker(actor)) return refuse('Only DSOs and safeguarding managers can add to a case record.')
  if (isReadOnly(concern)) return refuse(CLOSED_CASE_MESSAGE)
  return ALLOWED
}

/** The person it is assigned to, the Lead DSO or a manager may mark a task done. */
export function mayCompleteTask(actor: Actor, concern: { status: ConcernStatus; lead_dso_id: string | null }, task: { assignee_id: string; completed_at: Date | null }): Permission {
  if (isReadOnly(concern)) return refuse(CLOSED_CASE_MESSAGE)
  if (task.completed_at) return refuse('This task is already done.')
  if (task.assignee_id === actor.id || concern.lead_dso_id === actor.id || actor.roles.has('safeguarding_manager')) return ALLOWED
  return refuse('Only the person the task is assigned to, the Lead DSO or a safeguarding manager can mark it done.')
}

/** The Lead DSO says the case is ready for closure, which puts it on the next meeting for its Final Review. */
export function mayMarkReadyForClosure(actor: Actor, concern: { status: ConcernStatus; lead_dso_id: string | null; ready_for_closure_at: Date | null }): Permission {
  if (concern.status !== 'open') return refuse(isReadOnly(concern) ? CLOSED_CASE_MESSAGE : concern.status === 'closure_requested' ? 'Closure has already been requested.' : 'Only an open case (after its initial decision) can be marked ready for closure.')
  if (concern.lead_dso_id !== actor.id || !actor.roles.has('dso')) return refuse('Only the Lead DSO can mark the case ready for closure.')
  if (concern.ready_for_closure_at) return refuse('The case is already marked ready for closure.')
  return ALLOWED
}

/** A manager restricts a case to named people, or lifts the restriction. */
export function mayRestrict(actor: Actor, concern: { status: ConcernStatus }): Permission {
  if (!actor.roles.has('safeguarding_manager')) return refuse('Only a safeguarding manager can restrict a case.')
  if (isReadOnly(concern)) return refuse(CLOSED_CASE_MESSAGE)
  return ALLOWED
}

/** A manager reopens a closed case, giving a reason. */
export function mayReopen(actor: Actor, concern: { status: ConcernStatus }): Permission {
  if (!actor.roles.has('safeguarding_manager')) return refuse('Only a safeguarding manager can reopen a case.')
  if (concern.status !== 'closed') return refuse('Only a closed case can be reopened.')
  return ALLOWED
}

/** How long a break-glass opening lasts before the manager must give a reason again. */
export const BREAK_GLASS_MINUTES = 60

/** A manager not named on a restricted case may open it only by giving a reason. */
export function mayBreakGlass(actor: Actor, concern: { restricted: boolean }, namedOnCase: boolean): Permission {
  if (!actor.roles.has('safeguarding_manager')) return refuse('Only a safeguarding manager can open a restricted case they are not named on.')
  if (!concern.restricted || namedOnCase) return refuse('You can already open this case.')
  return ALLOWED
}
