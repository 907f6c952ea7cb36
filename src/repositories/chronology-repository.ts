import { newId } from '../ids.js'
import type { Executor } from './executor.js'

export interface NewChronologyEntry {
  organisationId: string
  concernId: string
  occurredAt: Date
  recordedAt: Date
  recordedBy: string | null
  kind: 'system' | 'manual'
  category: string
  summary: string
  significant?: boolean
  correctsId?: string | null
}

export async function insertChronologyEntry(tx: Executor, entry: NewChronologyEntry): Promise<string> {
  const id = newId()
  await tx
    .insertInto('chronology_entry')
    .values({
      organisation_id: entry.organisationId,
      id,
      concern_id: entry.concernId,
      occurred_at: entry.occurredAt,
      recorded_at: entry.recordedAt,
      recorded_by: entry.recordedBy,
      kind: entry.kind,
      category: entry.category,
      summary: entry.summary,
      significant: entry.significant ?? false,
      corrects_id: entry.correctsId ?? null,
    })
    .execute()
  return id
}

/** A concern's chronology, oldest first, with who recorded each entry. One query. */
export async function listChronology(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('chronology_entry as e')
    .leftJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'e.organisation_id').onRef('u.id', '=', 'e.recorded_by'))
    .selectAll('e')
    .select('u.display_name as recorded_by_name')
    .where('e.organisation_id', '=', organisationId)
    .where('e.concern_id', '=', concernId)
    .orderBy('e.occurred_at')
    .orderBy('e.recorded_at')
    .orderBy('e.id')
    .execute()
}

/** A manual entry from the Chronology tab: a double submit (same submission key) adds one entry. */
export async function insertManualChronologyEntry(tx: Executor, entry: NewChronologyEntry & { id: string; submissionKey: string }): Promise<boolean> {
  const row = await tx
    .insertInto('chronology_entry')
    .values({
      organisation_id: entry.organisationId,
      id: entry.id,
      concern_id: entry.concernId,
      occurred_at: entry.occurredAt,
      recorded_at: entry.recordedAt,
      recorded_by: entry.recordedBy,
      kind: 'manual',
      category: entry.category,
      summary: entry.summary,
      significant: entry.significant ?? false,
      corrects_id: entry.correctsId ?? null,
      submission_key: entry.submissionKey,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'submission_key']).where('submission_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}
