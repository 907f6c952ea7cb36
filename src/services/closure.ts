import type { AppDeps, SignedInContext } from '../context.js'
import { mayMarkReadyForClosure, mayReopen } from '../domain/case-record-rules.js'
import {
  caseWorkers,
  closureAnswerProblems,
  closureDecisionProblems,
  closureReadinessProblems,
  finalReviewAgreed,
  mayDecideClosure,
  mayRequestClosure,
  storedClosureAnswers,
  type ClosureAnswers,
  type ClosureField,
} from '../domain/closure-rules.js'
import { effectiveTypes, isAdultConcern } from '../domain/kpis/concern-facts.js'
import { newId } from '../ids.js'
import { paths } from '../paths.js'
import type { ConcernDetail } from '../repositories/concern-repository.js'
import {
  approveClosure,
  countReferralsAwaitingOutcome,
  findClosureRequestBySubmissionKey,
  findPendingClosureRequest,
  listCaseContributors,
  markReadyForClosure as markReadyRow,
  reopenCase as reopenRow,
  requestClosure as requestClosureRow,
  returnClosure,
} from '../repositories/closure-repository.js'
import type { Executor } from '../repositories/executor.js'
import { listUsersWithRole } from '../repositories/restriction-repository.js'
import { listFinalReviews } from '../repositories/review-repository.js'
import { countOpenTasks } from '../repositories/task-repository.js'
import { findUser } from '../repositories/user-repository.js'
import { audit } from './audit.js'
import { closureDecidedMessage, closureRequestedMessage, referrerClosedMessage } from './case-messages.js'
import { caseTransaction, openCase, type CaseOutcome } from './case-outcome.js'
import { chronicle } from './chronology.js'
import { notifyPerson } from './notifications.js'

/** Adult cases answer the Safeguarding Adults Collection questions at closure. */
export function isAdultCase(concern: Pick<ConcernDetail, 'at_risk' | 'concern_types' | 'confirmed_types'>): boolean {
  return isAdultConcern(concern.at_risk, effectiveTypes(concern))
}

/** Everything the closure rules need to know about the case, read in the caller's transaction. */
export async function closureState(tx: Executor, organisationId: string, concern: ConcernDetail) {
  const finalReviews = await listFinalReviews(tx, organisationId, concern.id)
  return {
    status: concern.status,
    leadDsoId: concern.lead_dso_id,
    finalReviewAgreed: finalReviewAgreed(concern.ready_for_closure_at, finalReviews),
    openTasks: await countOpenTasks(tx, organisationId, concern.id),
    referralsAwaitingOutcome: await countReferralsAwaitingOutcome(tx, organisationId, concern.id),
  }
}

/** Everyone who worked on the case (see domain/closure-rules.ts caseWorkers). */
export async function workersOf(tx: Executor, organisationId: string, concern: ConcernDetail): Promise<Set<string>> {
  return caseWorkers(concern, await listCaseContributors(tx, organisationId, concern.id))
}

/** The Lead DSO marks the case ready for closure: it goes on the next meeting for its Final Review. */
export async function markReadyForClosure(deps: AppDeps, ctx: SignedInContext, concernId: string, expectedVersion: number): Promise<CaseOutcome> {
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    if (concern.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayMarkReadyForClosure(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    if (!(await markReadyRow(tx, ctx.user.organisationId, concernId, expectedVersion, ctx.now()))) return { kind: 'conflict' }
    await chronicle(tx, ctx, concernId, 'Ready for closure', `${ctx.user.displayName} (Lead DSO) marked the case ready for closure. It will have its Final Review at the next weekly case review.`)
    await audit(tx, ctx, { action: 'concern.ready-for-closure', recordType: 'concern', recordId: concernId, details: { fields: ['ready_for_closure_at'] } })
    return { kind: 'done' }
  })
}

/**
 * The Lead DSO asks for closure with the closing summary and outcomes. Refused, changing nothing,
 * unless the case has had its Final Review and nothing is left open.
 */
export async function requestClosure(deps: AppDeps, ctx: SignedInContext, concernId: string, expectedVersion: number, answers: ClosureAnswers, submissionKey: string): Promise<CaseOutcome<ClosureField | 'form'>> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    if (await findClosureRequestBySubmissionKey(tx, organisationId, submissionKey)) return { kind: 'done' }
    if (concern.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayRequestClosure(ctx.user, { status: concern.status, leadDsoId: concern.lead_dso_id })
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    const readiness = closureReadinessProblems(await closureState(tx, organisationId, concern))
    const adult = isAdultCase(concern)
    const problems = [...readiness.map((message) => ({ field: 'form' as const, message })), ...closureAnswerProblems(answers, adult)]
    if (problems.length) return { kind: 'invalid', problems }
    const stored = storedClosureAnswers(answers, adult)
    const id = newId()
    const now = ctx.now()
    const ok = await requestClosureRow(tx, organisationId, concernId, expectedVersion, { id, requestedBy: ctx.user.id, requestedAt: now, closingSummary: stored.closingSummary!, sacOutcome: stored.sacOutcome, riskOutcome: stored.riskOutcome, mspAsked: stored.mspAsked, mspAchieved: stored.mspAchieved, submissionKey })
    if (!ok) return { kind: 'conflict' }
    await chronicle(tx, ctx, concernId, 'Closure requested', `${ctx.user.displayName} (Lead DSO) asked the Senior Lead Officer to close the case.`, { significant: true })
    await audit(tx, ctx, { action: 'concern.closure-request', recordType: 'concern', recordId: concernId, details: { closure_request_id: id, fields: ['status', 'closing_summary', ...(adult ? ['sac_outcome', 'risk_outcome', 'msp_asked', 'msp_achieved'] : [])] } })
    const workers = await workersOf(tx, organisationId, { ...concern, closure_requested_by: ctx.user.id })
    for (const slo of await listUsersWithRole(tx, organisationId, 'senior_lead_officer')) {
      if (workers.has(slo.id)) continue
      await notifyPerson(tx, organisationId, { id: slo.id, email: slo.email }, closureRequestedMessage(concern.reference, ctx.user.displayName, `${deps.config.publicUrl}${paths.concernClosure(concernId)}`), { concernId, href: paths.concernClosure(concernId), now })
    }
    return { kind: 'done', id }
  })
}

/** The Senior Lead Officer approves (the case closes) or returns the request with comments. */
export async function decideClosure(deps: AppDeps, ctx: SignedInContext, concernId: string, expectedVersion: number, decision: string | undefined, comments: string | null): Promise<CaseOutcome<'decision' | 'comments'>> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    if (concern.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayDecideClosure(ctx.user, concern, await workersOf(tx, organisationId, concern))
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    const problems = closureDecisionProblems(decision, comments)
    if (problems.length) return { kind: 'invalid', problems }
    const request = await findPendingClosureRequest(tx, organisationId, concernId)
    if (!request) return { kind: 'conflict' }
    const now = ctx.now()
    const approved = decision === 'approve'
    const ok = approved
      ? await approveClosure(tx, organisationId, concernId, request.id, expectedVersion, ctx.user.id, now, comments)
      : await returnClosure(tx, organisationId, concernId, request.id, expectedVersion, ctx.user.id, now, comments!)
    if (!ok) return { kind: 'conflict' }
    await chronicle(tx, ctx, concernId, approved ? 'Closed' : 'Closure returned', approved ? `${ctx.user.displayName} (Senior Lead Officer) approved the closure. The case is closed.` : `${ctx.user.displayName} (Senior Lead Officer) returned the closure request: ${comments}`, { significant: true })
    await audit(tx, ctx, { action: approved ? 'concern.close' : 'concern.closure-return', recordType: 'concern', recordId: concernId, details: { closure_request_id: request.id, fields: approved ? ['status', 'closed_at', 'closure_approved_by'] : ['status'] } })
    const link = `${deps.config.publicUrl}${paths.concern(concernId)}`
    const lead = concern.lead_dso_id ? await findUser(tx, organisationId, concern.lead_dso_id) : undefined
    if (lead?.active) await notifyPerson(tx, organisationId, { id: lead.id, email: lead.email }, closureDecidedMessage(concern.reference, approved, link), { concernId, href: paths.concern(concernId), now })
    if (approved) {
      const referrer = await findUser(tx, organisationId, concern.referrer_user_id)
      if (referrer?.active) await notifyPerson(tx, organisationId, { id: referrer.id, email: referrer.email }, referrerClosedMessage(concern.reference, `${deps.config.publicUrl}${paths.myConcern(concernId)}`), { concernId, href: paths.myConcern(concernId), now })
    }
    return { kind: 'done' }
  })
}

/** A manager reopens a closed case, giving a reason; it needs a new Final Review before closing again. */
export async function reopenCase(deps: AppDeps, ctx: SignedInContext, concernId: string, expectedVersion: number, reason: string): Promise<CaseOutcome> {
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    if (concern.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayReopen(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    const id = newId()
    if (!(await reopenRow(tx, ctx.user.organisationId, concernId, expectedVersion, { id, by: ctx.user.id, at: ctx.now(), reason }))) return { kind: 'conflict' }
    await chronicle(tx, ctx, concernId, 'Reopened', `${ctx.user.displayName} reopened the case. Reason: ${reason}`, { significant: true })
    await audit(tx, ctx, { action: 'concern.reopen', recordType: 'concern', recordId: concernId, details: { reopening_id: id, fields: ['status', 'closed_at', 'closure_approved_by', 'ready_for_closure_at', 'reopened_count'] } })
    return { kind: 'done' }
  })
}
