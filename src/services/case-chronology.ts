import type { AppDeps, SignedInContext } from '../context.js'
import { mayAddToCase } from '../domain/case-record-rules.js'
import { endOfLondonDay } from '../domain/working-days.js'
import { newId } from '../ids.js'
import { insertManualChronologyEntry } from '../repositories/chronology-repository.js'
import { audit } from './audit.js'
import { caseTransaction, openCase, type CaseOutcome } from './case-outcome.js'

export interface ManualEntry {
  occurredOn: string
  category: string
  summary: string
  significant: boolean
  correctsId: string | null
  submissionKey: string
}

/**
 * A manual chronology entry: what happened, on which date, in which category, and whether it is
 * significant. Entries are never edited; a correction is a new entry pointing at the one it corrects.
 */
export async function addChronologyEntry(deps: AppDeps, ctx: SignedInContext, concernId: string, entry: ManualEntry): Promise<CaseOutcome> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    if (entry.correctsId) {
      const original = await tx.selectFrom('chronology_entry').select('id').where('organisation_id', '=', organisationId).where('concern_id', '=', concernId).where('id', '=', entry.correctsId).executeTakeFirst()
      if (!original) return { kind: 'not_found' }
    }
    const now = ctx.now()
    // A date, not a time, was given: the entry sorts at midday London time on that date (or now, if today).
    const noon = new Date(endOfLondonDay(entry.occurredOn).getTime() - 12 * 3_600_000)
    const occurredAt = noon > now ? now : noon
    const id = newId()
    const created = await insertManualChronologyEntry(tx, { id, submissionKey: entry.submissionKey, organisationId, concernId, occurredAt, recordedAt: now, recordedBy: ctx.user.id, kind: 'manual', category: entry.category, summary: entry.summary, significant: entry.significant, correctsId: entry.correctsId })
    if (!created) return { kind: 'done' }
    await audit(tx, ctx, { action: entry.correctsId ? 'chronology.correct' : 'chronology.create', recordType: 'concern', recordId: concernId, details: { entry_id: id, category: entry.category, significant: entry.significant, ...(entry.correctsId ? { corrects_id: entry.correctsId } : {}) } })
    return { kind: 'done', id }
  })
}
