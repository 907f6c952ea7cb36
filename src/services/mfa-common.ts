import { randomInt } from 'node:crypto'
import type { AppDeps } from '../context.js'
import { MAX_MFA_FAILURES, MFA_THROTTLE_WINDOW_MS, RECOVERY_ALPHABET, RECOVERY_CODE_CHARS, RECOVERY_CODE_COUNT, recoveryCodeFromIndexes } from '../domain/mfa.js'
import { newId } from '../ids.js'
import type { Executor } from '../repositories/executor.js'
import { clearFailures, countRecentFailures, recordFailures } from '../repositories/sign-in-throttle-repository.js'
import { requireKeys } from './encryption-key.js'
import { hashPassword } from './passwords.js'
import { open, seal } from './secret-box.js'

/** Wrong codes are counted per person, in the same table as wrong passwords. */
export function throttleKey(userId: string): string {
  return `mfa:${userId}`
}

export async function isThrottled(db: Executor, userId: string, now: Date): Promise<boolean> {
  const failures = await countRecentFailures(db, [throttleKey(userId)], new Date(now.getTime() - MFA_THROTTLE_WINDOW_MS))
  return (failures.get(throttleKey(userId)) ?? 0) >= MAX_MFA_FAILURES
}

export function recordFailure(tx: Executor, userId: string, now: Date): Promise<void> {
  return recordFailures(tx, [throttleKey(userId)], now)
}

export function clearThrottle(tx: Executor, userId: string): Promise<void> {
  return clearFailures(tx, throttleKey(userId))
}

/** The sealed value is bound to its owner: copied into another person's row, it will not open. */
function associatedData(organisationId: string, userId: string): string {
  return `user_mfa:${organisationId}:${userId}`
}

export function sealSecret(deps: AppDeps, organisationId: string, userId: string, secret: string): string {
  return seal(requireKeys(deps.config), secret, associatedData(organisationId, userId))
}

export function openSecret(deps: AppDeps, organisationId: string, userId: string, sealed: string): { secret: string; stale: boolean } {
  const { plaintext, stale } = open(requireKeys(deps.config), sealed, associatedData(organisationId, userId))
  return { secret: plaintext, stale }
}

/** Ten new recovery codes: the codes to show once, and the argon2id hashes to keep. */
export async function newRecoveryCodes(): Promise<{ codes: string[]; rows: { id: string; hash: string }[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => recoveryCodeFromIndexes(Array.from({ length: RECOVERY_CODE_CHARS }, () => randomInt(RECOVERY_ALPHABET.length))))
  const rows = await Promise.all(codes.map(async (code) => ({ id: newId(), hash: await hashPassword(code) })))
  return { codes, rows }
}
