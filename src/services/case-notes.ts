import type { AppDeps, SignedInContext } from '../context.js'
import { mayAddToCase } from '../domain/case-record-rules.js'
import { newId } from '../ids.js'
import { findNote, insertNote } from '../repositories/note-repository.js'
import { audit } from './audit.js'
import { caseTransaction, openCase, type CaseOutcome } from './case-outcome.js'

/**
 * Adds a note to a case. Notes are never edited: a correction is a new note pointing at the one
 * it corrects, and both stay on the record. A double submit (same key) adds one note.
 */
export async function addNote(deps: AppDeps, ctx: SignedInContext, concernId: string, input: { body: string; correctsId: string | null; submissionKey: string }): Promise<CaseOutcome<'body'>> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    if (input.correctsId && !(await findNote(tx, organisationId, concernId, input.correctsId))) return { kind: 'not_found' }
    const id = newId()
    const created = await insertNote(tx, { organisationId, id, concernId, body: input.body, authorId: ctx.user.id, createdAt: ctx.now(), correctsId: input.correctsId, submissionKey: input.submissionKey })
    if (!created) return { kind: 'done' }
    await audit(tx, ctx, { action: input.correctsId ? 'note.correct' : 'note.create', recordType: 'concern', recordId: concernId, details: { note_id: id, ...(input.correctsId ? { corrects_id: input.correctsId } : {}), length: input.body.length } })
    return { kind: 'done', id }
  })
}
