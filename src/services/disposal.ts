import type { AppDeps, SignedInContext } from '../context.js'
import { disposalAllowed, mayApproveDisposal, mayHoldRecords, retainedCaseOf, retentionDue, type DisposalCandidate } from '../domain/retention.js'
import { londonDate } from '../domain/working-days.js'
import { newId } from '../ids.js'
import type { Executor } from '../repositories/executor.js'
import {
  decideProposal,
  disposeCase,
  insertLegalHold,
  insertProposal,
  liftLegalHold,
  openProposal,
  retainedCase,
  retentionSettings,
} from '../repositories/retention-repository.js'
import { audit } from './audit.js'
import { caseTransaction, Rollback, type CaseOutcome } from './case-outcome.js'

/**
 * Retention-driven disposal (domain/retention.ts): one person proposes disposing of a case whose
 * retention has ended, a Senior Lead Officer who did not propose it approves, and the content is
 * removed in the same transaction as the audit row, which records no content.
 */

type Loaded = NonNullable<Awaited<ReturnType<typeof retainedCase>>>

function asRetained(c: Loaded): DisposalCandidate {
  return { ...retainedCaseOf(c), status: c.status, disposed_at: c.disposed_at, on_legal_hold: c.on_legal_hold }
}

/** Loads the case and checks it may be disposed of today; refusals come back as outcomes. */
async function checkedCase(tx: Executor, ctx: SignedInContext, concernId: string) {
  const found = await retainedCase(tx, ctx.user.organisationId, ctx.user.id, concernId)
  if (!found) throw new Rollback({ kind: 'not_found' })
  const settings = await retentionSettings(tx, ctx.user.organisationId)
  const candidate = asRetained(found)
  const allowed = disposalAllowed(candidate, settings.rules, settings.paused, londonDate(ctx.now()))
  if (!allowed.allowed) throw new Rollback({ kind: 'refused', reason: allowed.reason })
  const due = retentionDue(candidate, settings.rules)
  if (due.kind !== 'due') throw new Rollback({ kind: 'refused', reason: 'This case cannot be disposed of.' })
  return { found, candidate, due }
}

export async function proposeDisposal(deps: AppDeps, ctx: SignedInContext, concernId: string): Promise<CaseOutcome> {
  return caseTransaction(deps, async (tx) => {
    const { found, due } = await checkedCase(tx, ctx, concernId)
    const id = newId()
    const inserted = await insertProposal(tx, ctx.user.organisationId, { id, concernId, reference: found.reference, rule: due.rule, dueOn: due.on, by: ctx.user.id, at: ctx.now() })
    if (!inserted) return { kind: 'refused', reason: 'Someone has already proposed disposing of this case.' }
    await audit(tx, ctx, { action: 'disposal.propose', recordType: 'concern', recordId: concernId, details: { disposal_id: id, due_on: due.on } })
    return { kind: 'done', id }
  })
}

export async function withdrawDisposal(deps: AppDeps, ctx: SignedInContext, concernId: string, version: number): Promise<CaseOutcome> {
  return caseTransaction(deps, async (tx) => {
    const found = await retainedCase(tx, ctx.user.organisationId, ctx.user.id, concernId)
    if (!found) return { kind: 'not_found' }
    const proposal = await openProposal(tx, ctx.user.organisationId, concernId)
    if (!proposal || proposal.version !== version) return { kind: 'conflict' }
    if (!(await decideProposal(tx, ctx.user.organisationId, proposal.id, version, { status: 'withdrawn', by: ctx.user.id, at: ctx.now() }))) return { kind: 'conflict' }
    await audit(tx, ctx, { action: 'disposal.withdraw', recordType: 'concern', recordId: concernId, details: { disposal_id: proposal.id } })
    return { kind: 'done' }
  })
}

/** The second person approves: the case's content is removed now, in this transaction. */
export async function approveDisposal(deps: AppDeps, ctx: SignedInContext, concernId: string, version: number): Promise<CaseOutcome> {
  return caseTransaction(deps, async (tx) => {
    const { candidate } = await checkedCase(tx, ctx, concernId)
    const proposal = await openProposal(tx, ctx.user.organisationId, concernId)
    if (!proposal || proposal.version !== version) return { kind: 'conflict' }
    const permission = mayApproveDisposal(ctx.user, proposal)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    if (!(await decideProposal(tx, ctx.user.organisationId, proposal.id, version, { status: 'disposed', by: ctx.user.id, at: ctx.now() }))) return { kind: 'conflict' }
    await disposeCase(tx, ctx.user.organisationId, concernId, proposal.id, candidate.age_at_receipt, ctx.now())
    await audit(tx, ctx, { action: 'concern.dispose', recordType: 'concern', recordId: concernId, details: { disposal_id: proposal.id, proposed_by: proposal.proposed_by } })
    return { kind: 'done' }
  })
}

/** A manager or Senior Lead Officer keeps a case whatever its retention says, giving a reason. */
export async function placeLegalHold(deps: AppDeps, ctx: SignedInContext, concernId: string, reason: string): Promise<CaseOutcome> {
  return caseTransaction(deps, async (tx) => {
    const found = await retainedCase(tx, ctx.user.organisationId, ctx.user.id, concernId)
    if (!found) return { kind: 'not_found' }
    if (!mayHoldRecords(ctx.user)) return { kind: 'refused', reason: 'Only a safeguarding manager or Senior Lead Officer can place a legal hold.' }
    if (found.disposed_at) return { kind: 'refused', reason: 'This record has already been disposed of.' }
    const id = newId()
    if (!(await insertLegalHold(tx, ctx.user.organisationId, { id, concernId, reason, by: ctx.user.id, at: ctx.now() }))) return { kind: 'refused', reason: 'This case is already under a legal hold.' }
    // A hold overrides a pending proposal: it is withdrawn so nobody approves it by mistake later.
    const proposal = await openProposal(tx, ctx.user.organisationId, concernId)
    if (proposal) await decideProposal(tx, ctx.user.organisationId, proposal.id, proposal.version, { status: 'withdrawn', by: ctx.user.id, at: ctx.now() })
    await audit(tx, ctx, { action: 'concern.legal-hold', recordType: 'concern', recordId: concernId, details: { legal_hold_id: id, ...(proposal ? { withdrew_disposal_id: proposal.id } : {}) } })
    return { kind: 'done', id }
  })
}

export async function removeLegalHold(deps: AppDeps, ctx: SignedInContext, concernId: string, holdId: string, reason: string): Promise<CaseOutcome> {
  return caseTransaction(deps, async (tx) => {
    const found = await retainedCase(tx, ctx.user.organisationId, ctx.user.id, concernId)
    if (!found) return { kind: 'not_found' }
    if (!mayHoldRecords(ctx.user)) return { kind: 'refused', reason: 'Only a safeguarding manager or Senior Lead Officer can lift a legal hold.' }
    if (!(await liftLegalHold(tx, ctx.user.organisationId, concernId, holdId, { reason, by: ctx.user.id, at: ctx.now() }))) return { kind: 'conflict' }
    await audit(tx, ctx, { action: 'concern.legal-hold-lift', recordType: 'concern', recordId: concernId, details: { legal_hold_id: holdId } })
    return { kind: 'done' }
  })
}

