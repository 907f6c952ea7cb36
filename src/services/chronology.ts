import type { SignedInContext } from '../context.js'
import type { Executor } from '../repositories/executor.js'
import { insertChronologyEntry } from '../repositories/chronology-repository.js'

/**
 * An automatic chronology entry for a transition, written in the caller's transaction. Every
 * change of state on a concern adds one (domain.md: "Every transition is in the chronology").
 */
export function chronicle(tx: Executor, ctx: SignedInContext, concernId: string, category: string, summary: string, options: { significant?: boolean; occurredAt?: Date } = {}): Promise<string> {
  const now = ctx.now()
  return insertChronologyEntry(tx, {
    organisationId: ctx.user.organisationId,
    concernId,
    occurredAt: options.occurredAt ?? now,
    recordedAt: now,
    recordedBy: ctx.user.id,
    kind: 'system',
    category,
    summary,
    significant: options.significant ?? false,
  })
}
