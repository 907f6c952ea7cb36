import { sql } from 'kysely'
import type { Executor } from './executor.js'

export interface SecuritySettings {
  mfa_required: boolean
  version: number
  updated_at: Date
}

export async function insertSecuritySettings(tx: Executor, organisationId: string, mfaRequired: boolean): Promise<void> {
  await tx.insertInto('organisation_security_setting').values({ organisation_id: organisationId, mfa_required: mfaRequired }).execute()
}

/** An organisation without a row (made by an older release's code path) is treated as requiring MFA. */
export async function findSecuritySettings(db: Executor, organisationId: string): Promise<SecuritySettings> {
  const row = await db
    .selectFrom('organisation_security_setting')
    .select(['mfa_required', 'version', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row ?? { mfa_required: true, version: 0, updated_at: new Date(0) }
}

/** Optimistic update: false when someone else saved first. Version 0 means "no row yet". */
export async function updateSecuritySettings(tx: Executor, organisationId: string, expectedVersion: number, values: { mfaRequired: boolean; by: string; at: Date }): Promise<boolean> {
  if (expectedVersion === 0) {
    const inserted = await tx
      .insertInto('organisation_security_setting')
      .values({ organisation_id: organisationId, mfa_required: values.mfaRequired, updated_at: values.at, updated_by: values.by })
      .onConflict((oc) => oc.column('organisation_id').doNothing())
      .executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1
  }
  const result = await tx
    .updateTable('organisation_security_setting')
    .set({ mfa_required: values.mfaRequired, updated_at: values.at, updated_by: values.by, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
