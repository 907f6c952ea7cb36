import type { SignedInContext } from '../context.js'
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
  })
}
