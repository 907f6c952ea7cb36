import { createHash } from 'node:crypto'
import type { AppDeps, SignedInContext } from '../context.js'
import { mayAddToCase } from '../domain/case-record-rules.js'
import { checkUpload } from '../domain/file-types.js'
import { mayViewConcern } from '../domain/policy.js'
import { newId } from '../ids.js'
import { insertDocument, readDocument } from '../repositories/document-repository.js'
import { audit } from './audit.js'
import { caseTransaction, openCase, type CaseOutcome } from './case-outcome.js'

export interface UploadInput {
  fileName: string
  bytes: Buffer
  truncated: boolean
  description: string | null
  submissionKey: string
}

/**
 * Stores an uploaded document in the database under a generated id (its own name is kept only
 * as a label), after checking its size and that its contents are an allowed type matching its
 * name. A refused file changes nothing.
 */
export async function uploadDocument(deps: AppDeps, ctx: SignedInContext, concernId: string, input: UploadInput): Promise<CaseOutcome<'file'>> {
  const organisationId = ctx.user.organisationId
  const check = checkUpload(input.fileName, input.bytes, { truncated: input.truncated })
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    if (!check.ok) return { kind: 'invalid', problems: [{ field: 'file', message: check.message }] }
    const id = newId()
    const sha256 = createHash('sha256').update(input.bytes).digest('hex')
    const created = await insertDocument(tx, {
      organisationId,
      id,
      concernId,
      originalName: input.fileName.slice(0, 255),
      fileType: check.type,
      sizeBytes: input.bytes.length,
      sha256,
      description: input.description,
      uploadedBy: ctx.user.id,
      uploadedAt: ctx.now(),
      submissionKey: input.submissionKey,
      content: input.bytes,
    })
    if (!created) return { kind: 'done' }
    await audit(tx, ctx, { action: 'document.upload', recordType: 'concern', recordId: concernId, details: { document_id: id, file_type: check.type, size_bytes: input.bytes.length, sha256 } })
    return { kind: 'done', id }
  })
}

/** Reads a document for download, auditing the download in the same transaction. */
export async function downloadDocument(deps: AppDeps, ctx: SignedInContext, concernId: string, documentId: string) {
  return deps.database.db.transaction().execute(async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern || !mayViewConcern(ctx.user, concern)) return undefined
    const doc = await readDocument(tx, ctx.user.organisationId, concernId, documentId)
    if (!doc) return undefined
    await audit(tx, ctx, { action: 'document.download', recordType: 'concern', recordId: concernId, details: { document_id: doc.id, file_type: doc.file_type, size_bytes: doc.size_bytes } })
    return doc
  })
}
