import type { AppDeps, RequestContext, SignedInContext } from '../context.js'
import { appendAudit, type AuditOutcome } from '../repositories/audit-repository.js'
import type { Executor } from '../repositories/executor.js'

export interface AuditFacts {
  action: string
  outcome?: AuditOutcome
  recordType?: string
  recordId?: string
  details?: Record<string, unknown>
}

/** Audit as the signed-in user, inside the caller's transaction. */
export function audit(tx: Executor, ctx: SignedInContext, facts: AuditFacts): Promise<void> {
  return appendAudit(tx, {
    organisationId: ctx.user.organisationId,
    actorUserId: ctx.user.id,
    requestId: ctx.requestId,
    occurredAt: ctx.now(),
    action: facts.action,
    outcome: facts.outcome ?? 'success',
    recordType: facts.recordType ?? null,
    recordId: facts.recordId ?? null,
    details: facts.details ?? {},
    chainKey: ctx.chainKey,
  })
}

/**
 * A refusal (policy, CSRF, a record they may not see), in its own transaction because the work it
 * refused never started, put down to the person refused.
 */
export function auditRefusal(deps: AppDeps, ctx: RequestContext, user: { id: string; organisationId: string }, action: string, details: Record<string, unknown>): Promise<void> {
  return deps.database.db
    .transaction()
    .execute((tx) => appendAudit(tx, { organisationId: user.organisationId, actorUserId: user.id, action, outcome: 'denied', requestId: ctx.requestId, occurredAt: ctx.now(), details, chainKey: ctx.chainKey }))
}
