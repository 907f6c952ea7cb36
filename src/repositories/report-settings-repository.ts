import { sql } from 'kysely'
import type { Executor } from './executor.js'

export async function findReportSettings(db: Executor, organisationId: string) {
  return db.selectFrom('report_settings').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst()
}

/**
 * Saves the settings if nobody else saved since `expectedVersion` was read (0: none saved yet).
 * Returns false on a conflict.
 */
export async function saveReportSettings(
  tx: Executor,
  organisationId: string,
  expectedVersion: number,
  values: { ageBandStarts: readonly number[]; ageTotalFrom: number | null; updatedBy: string; updatedAt: Date },
): Promise<boolean> {
  if (expectedVersion === 0) {
    const inserted = await tx
      .insertInto('report_settings')
      .values({ organisation_id: organisationId, age_band_starts: [...values.ageBandStarts], age_total_from: values.ageTotalFrom, updated_by: values.updatedBy, updated_at: values.updatedAt })
      .onConflict((oc) => oc.column('organisation_id').doNothing())
      .executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1
  }
  const updated = await tx
    .updateTable('report_settings')
    .set({ age_band_starts: [...values.ageBandStarts], age_total_from: values.ageTotalFrom, updated_by: values.updatedBy, updated_at: values.updatedAt, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(updated.numUpdatedRows) === 1
}
