import { sql } from 'kysely'
import type { Executor } from './executor.js'

export interface MfaRecord {
  secret_ciphertext: string
  enabled_at: Date | null
  last_time_step: number | null
}

export async function findMfa(db: Executor, organisationId: string, userId: string): Promise<MfaRecord | undefined> {
  const row = await db
    .selectFrom('user_mfa')
    .select(['secret_ciphertext', 'enabled_at', 'last_time_step'])
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row ? { ...row, last_time_step: row.last_time_step === null ? null : Number(row.last_time_step) } : undefined
}

/** A new secret while someone is setting up, replacing any unfinished one. Never touches a finished set-up. */
export async function savePendingSecret(tx: Executor, organisationId: string, userId: string, ciphertext: string, at: Date): Promise<boolean> {
  const result = await tx
    .insertInto('user_mfa')
    .values({ organisation_id: organisationId, user_id: userId, secret_ciphertext: ciphertext, created_at: at })
    .onConflict((oc) => oc.columns(['organisation_id', 'user_id']).doUpdateSet({ secret_ciphertext: ciphertext, created_at: at, last_time_step: null }).where('user_mfa.enabled_at', 'is', null))
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
}

/** Finishes a set-up; false when it was already finished (a second submit) or has gone. */
export async function enableMfa(tx: Executor, organisationId: string, userId: string, timeStep: number, at: Date): Promise<boolean> {
  const result = await tx
    .updateTable('user_mfa')
    .set({ enabled_at: at, last_time_step: timeStep })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('enabled_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Records that a code for this time step was used. The condition makes it atomic: of two
 * requests racing with the same code, exactly one moves the step on.
 */
export async function advanceTimeStep(tx: Executor, organisationId: string, userId: string, timeStep: number): Promise<boolean> {
  const result = await tx
    .updateTable('user_mfa')
    .set({ last_time_step: timeStep })
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('enabled_at', 'is not', null)
    .where((eb) => eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', timeStep)]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function resealSecret(tx: Executor, organisationId: string, userId: string, ciphertext: string): Promise<void> {
  await tx.updateTable('user_mfa').set({ secret_ciphertext: ciphertext }).where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute()
}

/** Removes the authenticator and every recovery code (administrator reset). */
export async function deleteMfa(tx: Executor, organisationId: string, userId: string): Promise<boolean> {
  await tx.deleteFrom('mfa_recovery_code').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute()
  const result = await tx.deleteFrom('user_mfa').where('organisation_id', '=', organisationId).where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}

export async function replaceRecoveryCodes(tx: Executor, organisationId: string, userId: string, codes: { id: string; hash: string }[], at: Date): Promise<void> {
  await tx.deleteFrom('mfa_recovery_code').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute()
  await tx
    .insertInto('mfa_recovery_code')
    .values(codes.map((c) => ({ organisation_id: organisationId, id: c.id, user_id: userId, code_hash: c.hash, created_at: at })))
    .execute()
}

export async function unusedRecoveryCodes(db: Executor, organisationId: string, userId: string) {
  return db
    .selectFrom('mfa_recovery_code')
    .select(['id', 'code_hash'])
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .orderBy('id')
    .execute()
}

export async function countUnusedRecoveryCodes(db: Executor, organisationId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('mfa_recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Spends a recovery code; false if it was spent in the meantime (two requests racing). */
export async function markRecoveryCodeUsed(tx: Executor, organisationId: string, id: string, at: Date): Promise<boolean> {
  const result = await tx.updateTable('mfa_recovery_code').set({ used_at: at }).where('organisation_id', '=', organisationId).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
