import { sql, type Kysely } from 'kysely'
import type { DB, ImportStatus, NewConcern } from '../db/schema.js'
import { newId } from '../ids.js'
import type { Executor } from './executor.js'
import { analyzeTables } from './table-statistics-repository.js'

/** Historical imports: batches, the concerns they create, and the marks that say so. */
export interface NewImportBatch {
  organisationId: string
  id: string
  createdBy: string
  createdAt: Date
  fileName: string
  fileFormat: 'csv' | 'xlsx'
  fileSha256: string
  content: Buffer
  rowCount: number
  validCount: number
  alreadyImportedCount: number
  problems: unknown[]
}

export async function insertImportBatch(tx: Executor, b: NewImportBatch): Promise<void> {
  await tx
    .insertInto('import_batch')
    .values({
      organisation_id: b.organisationId,
      id: b.id,
      created_by: b.createdBy,
      created_at: b.createdAt,
      file_name: b.fileName,
      file_format: b.fileFormat,
      file_sha256: b.fileSha256,
      content: b.content,
      row_count: b.rowCount,
      valid_count: b.validCount,
      already_imported_count: b.alreadyImportedCount,
      problem_count: new Set((b.problems as { row: number }[]).map((p) => p.row)).size,
      problems: JSON.stringify(b.problems),
      status: 'validated',
    })
    .execute()
}

const SUMMARY = ['id', 'created_by', 'created_at', 'file_name', 'file_format', 'row_count', 'valid_count', 'already_imported_count', 'problem_count', 'status', 'finished_at', 'imported_count', 'version'] as const

export async function findImportBatch(db: Executor, organisationId: string, id: string) {
  return db.selectFrom('import_batch').select([...SUMMARY, 'problems']).where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()
}

/** The batch with its file, locked: two imports of one batch queue here and the second finds it done. */
export async function lockImportBatch(tx: Executor, organisationId: string, id: string) {
  return tx.selectFrom('import_batch').select([...SUMMARY, 'content']).where('organisation_id', '=', organisationId).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function listImportBatches(db: Executor, organisationId: string, limit = 20) {
  return db
    .selectFrom('import_batch as b')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'b.organisation_id').onRef('u.id', '=', 'b.created_by'))
    .select(['b.id', 'b.created_at', 'b.file_name', 'b.row_count', 'b.valid_count', 'b.problem_count', 'b.status', 'b.imported_count', 'u.display_name as created_by_name'])
    .where('b.organisation_id', '=', organisationId)
    .orderBy('b.created_at', 'desc')
    .limit(limit)
    .execute()
}

/** Marks a batch imported or discarded; the file is dropped (the records, or nothing, remain). */
export async function finishImportBatch(tx: Executor, organisationId: string, id: string, version: number, values: { status: Exclude<ImportStatus, 'validated'>; by: string; at: Date; importedCount: number | null }): Promise<boolean> {
  const r = await tx
    .updateTable('import_batch')
    .set({ status: values.status, finished_by: values.by, finished_at: values.at, imported_count: values.importedCount, content: null, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'validated')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Which of these references were imported before (one query for the whole file). */
export async function importedReferences(db: Executor, organisationId: string, references: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < references.length; i += 10_000) {
    const rows = await db
      .selectFrom('concern_import')
      .select('external_reference')
      .where('organisation_id', '=', organisationId)
      .where('external_reference', 'in', references.slice(i, i + 10_000))
      .execute()
    for (const r of rows) found.add(r.external_reference)
  }
  return found
}

/**
 * Imported concerns need a referrer: an inactive account per organisation that stands for
 * "recorded before Kestrel". It has no password and cannot sign in.
 */
export async function importAccount(tx: Executor, organisationId: string): Promise<string> {
  const email = `imported-records+${organisationId}@kestrel.invalid`
  const existing = await tx.selectFrom('app_user').select('id').where('organisation_id', '=', organisationId).where('email', '=', email).executeTakeFirst()
  if (existing) return existing.id
  const id = newId()
  await tx.insertInto('app_user').values({ organisation_id: organisationId, id, email, display_name: 'Imported historical records', password_hash: null, active: false, deactivated_at: new Date(0) }).execute()
  return id
}

/** Takes `count` numbers from a year's reference sequence at once; returns the first. */
export async function reserveReferenceNumbers(tx: Executor, organisationId: string, year: number, count: number): Promise<number> {
  const row = await tx
    .insertInto('reference_counter')
    .values({ organisation_id: organisationId, year, last_value: count })
    .onConflict((oc) => oc.columns(['organisation_id', 'year']).doUpdateSet({ last_value: sql`reference_counter.last_value + ${count}` }))
    .returning('last_value')
    .executeTakeFirstOrThrow()
  return row.last_value - count + 1
}

async function chunked<T>(rows: readonly T[], size: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size))
}

export async function insertImportedConcerns(tx: Executor, rows: readonly NewConcern[]): Promise<void> {
  await chunked(rows, 400, (c) => tx.insertInto('concern').values(c).execute())
}

export async function insertConcernImports(tx: Executor, rows: readonly { organisation_id: string; concern_id: string; batch_id: string; external_reference: string; gender: string | null; source_of_concern: string | null }[]): Promise<void> {
  await chunked(rows, 1000, (c) => tx.insertInto('concern_import').values(c).execute())
}

export interface ImportedReferral {
  organisation_id: string
  id: string
  concern_id: string
  agency: string
  made_at: Date
  created_by: string
  created_at: Date
}

export async function insertImportedReferrals(tx: Executor, rows: readonly ImportedReferral[]): Promise<void> {
  await chunked(rows, 500, (c) =>
    tx
      .insertInto('onward_referral')
      .values(c.map((r) => ({ ...r, method: 'other' as const, consent: 'not_sought' as const, consent_reason: 'Not recorded in the imported historical record', submission_key: newId() })))
      .execute(),
  )
}

export async function insertImportChronology(tx: Executor, rows: readonly { organisation_id: string; concern_id: string; occurred_at: Date; recorded_at: Date; recorded_by: string; summary: string }[]): Promise<void> {
  await chunked(rows, 1000, (c) => tx.insertInto('chronology_entry').values(c.map((r) => ({ ...r, id: newId(), kind: 'system' as const, category: 'Imported', significant: false }))).execute())
}

/**
 * After a large import: statistics for the tables it filled, so the report refresh that follows
 * (and every case list) plans on their real size. Measured on PostgreSQL, 100,000 rows: loading
 * each batch of 1,000 concerns for the facts took 140 ms on the old statistics.
 */
export async function analyzeImportedTables(db: Kysely<DB>, options: { embedded?: boolean }): Promise<void> {
  await analyzeTables(db, ['concern', 'concern_import', 'onward_referral'], options)
}
