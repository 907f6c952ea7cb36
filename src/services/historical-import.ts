import { createHash } from 'node:crypto'
import type { AppDeps, SignedInContext } from '../context.js'
import type { NewConcern } from '../db/schema.js'
import { formatReference } from '../domain/concern-status.js'
import { NAME_NOT_RECORDED, NARRATIVE_NOT_IMPORTED } from '../domain/import/import-columns.js'
import { checkHeader, HistoricalRowChecker, MAX_IMPORT_ROWS, type ImportedConcern, type RowProblem } from '../domain/import/historical-rows.js'
import { addCalendarDays, computeDeadline, londonDate } from '../domain/working-days.js'
import { readImportFile } from '../formats/import-reader.js'
import { newId } from '../ids.js'
import { listAgencies } from '../repositories/agency-repository.js'
import { nonWorkingDates } from '../repositories/calendar-repository.js'
import { asReportWork } from '../db/page-traffic.js'
import type { Executor } from '../repositories/executor.js'
import {
  analyzeImportedTables,
  finishImportBatch,
  importAccount,
  importedReferences,
  insertConcernImports,
  insertImportBatch,
  insertImportChronology,
  insertImportedConcerns,
  insertImportedReferrals,
  lockImportBatch,
  reserveReferenceNumbers,
} from '../repositories/import-repository.js'
import { findOrganisation } from '../repositories/organisation-repository.js'
import { listServices } from '../repositories/service-repository.js'
import { audit } from './audit.js'
import { organisationRule } from './concern-clock.js'
import { refreshReports } from './report-refresh.js'

/**
 * Importing historical concerns (docs/import.md): first every row is checked and the report
 * kept as a batch; then, if the person chooses, every valid row is imported in one transaction,
 * or nothing is. Imported concerns are marked (concern_import) and audited.
 */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve))

export interface CheckedFile {
  format: 'csv' | 'xlsx'
  rowCount: number
  valid: ImportedConcern[]
  alreadyImported: number
  problems: RowProblem[]
}

/** Reads and checks a whole file. Between chunks of rows it lets other requests run. */
export async function checkFile(db: Executor, organisationId: string, bytes: Buffer, today: string): Promise<{ ok: true; checked: CheckedFile } | { ok: false; message: string }> {
  const file = await readImportFile(bytes)
  if (!file.ok) return file
  const [header, ...rows] = file.rows
  if (!header || header.every((c) => c === null || String(c).trim() === '')) return { ok: false, message: 'The file has no rows. The first row must name the columns, as in the template' }
  const head = checkHeader(header)
  if (head.problems.length > 0) return { ok: false, message: head.problems.join('. ') }
  if (rows.length > MAX_IMPORT_ROWS) return { ok: false, message: `The file has ${rows.length.toLocaleString('en-GB')} rows: import at most ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} at a time, by splitting the file` }
  const [services, agencies] = [await listServices(db, organisationId), await listAgencies(db, organisationId)]
  const checker = new HistoricalRowChecker(head.columns, { services: services.map((s) => ({ id: s.id, name: s.name })), agencies: agencies.map((a) => a.name), today })
  for (let i = 0; i < rows.length; i++) {
    checker.check(rows[i]!, i + 2)
    if (i % 2000 === 1999) await yieldToOthers()
  }
  if (checker.rows === 0) return { ok: false, message: 'The file has a header row but no records' }
  const before = await importedReferences(db, organisationId, checker.valid.map((v) => v.externalReference))
  return {
    ok: true,
    checked: {
      format: file.format,
      rowCount: checker.rows,
      valid: checker.valid.filter((v) => !before.has(v.externalReference)),
      alreadyImported: checker.valid.filter((v) => before.has(v.externalReference)).length,
      problems: checker.problems,
    },
  }
}

/** Checks an uploaded file and keeps the result as a batch to import or discard. */
export async function checkUpload(deps: AppDeps, ctx: SignedInContext, upload: { fileName: string; bytes: Buffer }): Promise<{ ok: true; batchId: string } | { ok: false; message: string }> {
  const db = deps.database.db
  const result = await checkFile(db, ctx.user.organisationId, upload.bytes, londonDate(ctx.now()))
  if (!result.ok) return result
  const { checked } = result
  const id = newId()
  await db.transaction().execute(async (tx) => {
    await insertImportBatch(tx, {
      organisationId: ctx.user.organisationId,
      id,
      createdBy: ctx.user.id,
      createdAt: ctx.now(),
      fileName: upload.fileName.replace(/[^\p{L}\p{N} ._()-]+/gu, '_').slice(0, 120) || 'upload',
      fileFormat: checked.format,
      fileSha256: createHash('sha256').update(upload.bytes).digest('hex'),
      content: upload.bytes,
      rowCount: checked.rowCount,
      validCount: checked.valid.length,
      alreadyImportedCount: checked.alreadyImported,
      problems: checked.problems,
    })
    await audit(tx, ctx, { action: 'import.check', recordType: 'import_batch', recordId: id, details: { rows: checked.rowCount, valid: checked.valid.length, already_imported: checked.alreadyImported, problems: checked.problems.length } })
  })
  return { ok: true, batchId: id }
}

/** Imports this large change the tables enough for fresh planner statistics to matter. */
const ANALYZE_AFTER_ROWS = 1000

export type ImportOutcome = { kind: 'imported'; count: number } | { kind: 'already-finished' } | { kind: 'changed'; message: string } | { kind: 'not-found' }

export interface ImportProgress {
  (stage: 'checking' | 'importing' | 'updating-reports', done: number, total: number): void
}

/**
 * Imports every valid row of a checked batch in one transaction. The file is checked again
 * inside the transaction: if anything changed since (a service renamed, the same records
 * imported by someone else), nothing is imported and the person is asked to check again.
 */
export async function runImport(deps: AppDeps, ctx: SignedInContext, batchId: string, version: number, progress: ImportProgress = () => {}): Promise<ImportOutcome> {
  const organisationId = ctx.user.organisationId
  const now = ctx.now()
  const outcome = await deps.database.db.transaction().execute(async (tx): Promise<ImportOutcome> => {
    const batch = await lockImportBatch(tx, organisationId, batchId)
    if (!batch) return { kind: 'not-found' }
    if (batch.status !== 'validated' || !batch.content) return { kind: 'already-finished' }
    if (batch.version !== version) return { kind: 'changed', message: 'This import changed since you opened it.' }
    progress('checking', 0, batch.row_count)
    const result = await checkFile(tx, organisationId, batch.content, londonDate(now))
    if (!result.ok || result.checked.valid.length !== batch.valid_count || result.checked.alreadyImported !== batch.already_imported_count) {
      return { kind: 'changed', message: 'Something changed since the file was checked (a service, an agency, or records imported since). Nothing was imported: check the file again.' }
    }
    const rows = result.checked.valid
    await writeConcerns(tx, ctx, batchId, rows, (done) => progress('importing', done, rows.length))
    if (!(await finishImportBatch(tx, organisationId, batchId, version, { status: 'imported', by: ctx.user.id, at: now, importedCount: rows.length }))) throw new Error('Import batch changed under its lock')
    await audit(tx, ctx, { action: 'import.run', recordType: 'import_batch', recordId: batchId, details: { imported: rows.length, left_out_with_problems: batch.problem_count, already_imported: batch.already_imported_count } })
    return { kind: 'imported', count: rows.length }
  })
  if (outcome.kind === 'imported') {
    // Bring the report figures up to date now, so the first dashboard after an import is quick.
    // Report work: on the embedded database other people's pages go first, between short steps.
    progress('updating-reports', 0, outcome.count)
    const embedded = deps.database.engine === 'pglite'
    await asReportWork(async () => {
      if (outcome.count >= ANALYZE_AFTER_ROWS) await analyzeImportedTables(deps.database.db, { embedded })
      await refreshReports(deps.database.db, organisationId, now, { embedded })
    })
  }
  return outcome
}

async function writeConcerns(tx: Executor, ctx: SignedInContext, batchId: string, rows: readonly ImportedConcern[], progress: (done: number) => void): Promise<void> {
  const organisationId = ctx.user.organisationId
  const now = ctx.now()
  const org = await findOrganisation(tx, organisationId)
  if (!org) throw new Error('Unknown organisation')
  const referrer = await importAccount(tx, organisationId)
  const rule = await organisationRule(tx, organisationId)
  const days = rows.map((r) => londonDate(r.receivedAt)).sort()
  const calendar = await nonWorkingDates(tx, organisationId, addCalendarDays(days[0]!, -7), addCalendarDays(days[days.length - 1]!, 60))

  // Reference numbers: one reservation per calendar year, in order of receipt.
  const ordered = [...rows].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
  const perYear = new Map<number, ImportedConcern[]>()
  for (const r of ordered) {
    const year = Number(londonDate(r.receivedAt).slice(0, 4))
    perYear.set(year, [...(perYear.get(year) ?? []), r])
  }
  const references = new Map<ImportedConcern, string>()
  for (const [year, list] of perYear) {
    const first = await reserveReferenceNumbers(tx, organisationId, year, list.length)
    list.forEach((r, i) => references.set(r, formatReference(org.reference_prefix, year, first + i)))
  }

  const CHUNK = 2000
  for (let start = 0; start < ordered.length; start += CHUNK) {
    const chunk = ordered.slice(start, start + CHUNK).map((r) => ({ r, id: newId() }))
    const concerns: NewConcern[] = chunk.map(({ r, id }) => ({
      organisation_id: organisationId,
      id,
      reference: references.get(r)!,
      submission_key: newId(),
      status: r.closedAt ? 'closed' : 'open',
      referrer_user_id: referrer,
      referrer_service_id: r.serviceId,
      received_at: r.receivedAt,
      due_at: computeDeadline(r.receivedAt, rule, calendar),
      at_risk: r.atRisk,
      person_name: r.personName ?? NAME_NOT_RECORDED,
      person_date_of_birth: r.dateOfBirth,
      person_age_years: r.ageYears,
      what_happened: NARRATIVE_NOT_IMPORTED,
      concern_types: r.types,
      confirmed_types: r.types,
      location: r.location,
      immediate_danger: false,
      person_aware: 'not_recorded',
      addressed_at: r.addressedAt,
      decision: r.decision,
      decision_rationale: 'Recorded before Kestrel: imported from a historical record.',
      source_of_risk: r.sourceOfRisk,
      closed_at: r.closedAt,
      sac_outcome: r.outcome,
      risk_outcome: r.riskOutcome,
    }))
    await insertImportedConcerns(tx, concerns)
    await insertConcernImports(
      tx,
      chunk.map(({ r, id }) => ({ organisation_id: organisationId, concern_id: id, batch_id: batchId, external_reference: r.externalReference, gender: r.gender, source_of_concern: r.sourceOfConcern })),
    )
    await insertImportedReferrals(
      tx,
      chunk.flatMap(({ r, id }) => r.agencies.map((agency) => ({ organisation_id: organisationId, id: newId(), concern_id: id, agency, made_at: r.addressedAt, created_by: ctx.user.id, created_at: now }))),
    )
    await insertImportChronology(
      tx,
      chunk.map(({ id }) => ({ organisation_id: organisationId, concern_id: id, occurred_at: now, recorded_at: now, recorded_by: ctx.user.id, summary: `Imported from a historical record (import ${batchId})` })),
    )
    progress(Math.min(start + CHUNK, ordered.length))
    await yieldToOthers()
  }
}

export async function discardImport(deps: AppDeps, ctx: SignedInContext, batchId: string, version: number): Promise<boolean> {
  return deps.database.db.transaction().execute(async (tx) => {
    const ok = await finishImportBatch(tx, ctx.user.organisationId, batchId, version, { status: 'discarded', by: ctx.user.id, at: ctx.now(), importedCount: null })
    if (ok) await audit(tx, ctx, { action: 'import.discard', recordType: 'import_batch', recordId: batchId })
    return ok
  })
}
