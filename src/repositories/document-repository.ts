import type { Executor } from './executor.js'

export interface NewDocument {
  organisationId: string
  id: string
  concernId: string
  originalName: string
  fileType: string
  sizeBytes: number
  sha256: string
  description: string | null
  uploadedBy: string
  uploadedAt: Date
  submissionKey: string
  content: Buffer
}

/** Stores a document and its bytes, unless the submission key was used already (a double submit). */
export async function insertDocument(tx: Executor, doc: NewDocument): Promise<boolean> {
  const row = await tx
    .insertInto('case_document')
    .values({
      organisation_id: doc.organisationId,
      id: doc.id,
      concern_id: doc.concernId,
      original_name: doc.originalName,
      file_type: doc.fileType,
      size_bytes: doc.sizeBytes,
      sha256: doc.sha256,
      description: doc.description,
      uploaded_by: doc.uploadedBy,
      uploaded_at: doc.uploadedAt,
      submission_key: doc.submissionKey,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'submission_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) return false
  await tx.insertInto('document_content').values({ organisation_id: doc.organisationId, document_id: doc.id, content: doc.content }).execute()
  return true
}

/** A case's documents, newest first, without their bytes. One query. */
export async function listDocuments(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('case_document as d')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'd.organisation_id').onRef('u.id', '=', 'd.uploaded_by'))
    .select(['d.id', 'd.original_name', 'd.file_type', 'd.size_bytes', 'd.description', 'd.uploaded_at', 'u.display_name as uploaded_by_name'])
    .where('d.organisation_id', '=', organisationId)
    .where('d.concern_id', '=', concernId)
    .orderBy('d.uploaded_at', 'desc')
    .orderBy('d.id', 'desc')
    .execute()
}

/** One document with its bytes, for a download. */
export async function readDocument(db: Executor, organisationId: string, concernId: string, id: string) {
  return db
    .selectFrom('case_document as d')
    .innerJoin('document_content as b', (j) => j.onRef('b.organisation_id', '=', 'd.organisation_id').onRef('b.document_id', '=', 'd.id'))
    .select(['d.id', 'd.original_name', 'd.file_type', 'd.size_bytes', 'd.sha256', 'b.content'])
    .where('d.organisation_id', '=', organisationId)
    .where('d.concern_id', '=', concernId)
    .where('d.id', '=', id)
    .executeTakeFirst()
}
