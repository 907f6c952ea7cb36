import type { AppDeps, RequestContext } from '../context.js'
import { normaliseRecoveryCode, normaliseTotpCode } from '../domain/mfa.js'
import { appendAudit } from '../repositories/audit-repository.js'
import type { Executor } from '../repositories/executor.js'
import { advanceTimeStep, countUnusedRecoveryCodes, findMfa, markRecoveryCodeUsed, resealSecret, unusedRecoveryCodes } from '../repositories/mfa-repository.js'
import { findUser, type UserRecord } from '../repositories/user-repository.js'
import { tellAccountHolder } from './account-notices.js'
import { clearThrottle, isThrottled, openSecret, recordFailure, sealSecret } from './mfa-common.js'
import { verifyPassword } from './passwords.js'
import { SecretBoxError } from './secret-box.js'
import { checkTotp } from './totp.js'

/** Who passed the password step and is now asked for their second factor. */
export interface PendingSignIn {
  organisationId: string
  userId: string
}

export type SecondFactorFailure = 'wrong' | 'reused' | 'throttled' | 'unavailable'
export type SecondFactorResult = { ok: true; user: UserRecord; recoveryCodesLeft?: number } | { ok: false; reason: SecondFactorFailure }

function auditAttempt(tx: Executor, ctx: RequestContext, pending: PendingSignIn, method: 'totp' | 'recovery_code', reason: string, extra: Record<string, unknown> = {}) {
  return appendAudit(tx, {
    organisationId: pending.organisationId,
    actorUserId: pending.userId,
    action: 'auth.mfa-code',
    outcome: reason === 'ok' ? 'success' : reason === 'throttled' ? 'denied' : 'failure',
    recordType: 'user',
    recordId: pending.userId,
    requestId: ctx.requestId,
    occurredAt: ctx.now(),
    details: { method, reason, ...extra },
    chainKey: ctx.chainKey,
  })
}

async function fail(deps: AppDeps, ctx: RequestContext, pending: PendingSignIn, method: 'totp' | 'recovery_code', reason: SecondFactorFailure): Promise<SecondFactorResult> {
  await deps.database.db.transaction().execute(async (tx) => {
    if (reason === 'wrong' || reason === 'reused') await recordFailure(tx, pending.userId, ctx.now())
    await auditAttempt(tx, ctx, pending, method, reason)
  })
  return { ok: false, reason }
}

/**
 * The code from the authenticator app. Every attempt is audited; wrong codes count towards the
 * per-person limit; a code whose time step was already used is refused (replay), and the step
 * moves on atomically so two requests racing with one code cannot both succeed.
 */
export async function verifySignInCode(deps: AppDeps, ctx: RequestContext, pending: PendingSignIn, input: string): Promise<SecondFactorResult> {
  const db = deps.database.db
  const now = ctx.now()
  const user = await findUser(db, pending.organisationId, pending.userId)
  const mfa = await findMfa(db, pending.organisationId, pending.userId)
  if (!user?.active || !mfa?.enabled_at) return fail(deps, ctx, pending, 'totp', 'unavailable')
  if (await isThrottled(db, pending.userId, now)) return fail(deps, ctx, pending, 'totp', 'throttled')
  const code = normaliseTotpCode(input)
  if (!code) return fail(deps, ctx, pending, 'totp', 'wrong')

  let opened: { secret: string; stale: boolean }
  try {
    opened = openSecret(deps, pending.organisationId, pending.userId, mfa.secret_ciphertext)
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error
    deps.logger.error({ requestId: ctx.requestId, userId: pending.userId }, 'An authenticator secret could not be opened: check KESTREL_ENCRYPTION_KEY')
    return fail(deps, ctx, pending, 'totp', 'unavailable')
  }
  const check = await checkTotp(opened.secret, code, now, mfa.last_time_step)
  if (!check.ok) return fail(deps, ctx, pending, 'totp', check.reason)

  const accepted = await db.transaction().execute(async (tx) => {
    if (!(await advanceTimeStep(tx, pending.organisationId, pending.userId, check.timeStep))) return false
    // Sealed under a previous key: re-seal under the current one while it is open.
    if (opened.stale) await resealSecret(tx, pending.organisationId, pending.userId, sealSecret(deps, pending.organisationId, pending.userId, opened.secret))
    await clearThrottle(tx, pending.userId)
    await auditAttempt(tx, ctx, pending, 'totp', 'ok')
    return true
  })
  if (!accepted) return fail(deps, ctx, pending, 'totp', 'reused')
  return { ok: true, user }
}

/** A recovery code instead of the app: each works once. */
export async function useRecoveryCode(deps: AppDeps, ctx: RequestContext, pending: PendingSignIn, input: string): Promise<SecondFactorResult> {
  const db = deps.database.db
  const now = ctx.now()
  const user = await findUser(db, pending.organisationId, pending.userId)
  const mfa = await findMfa(db, pending.organisationId, pending.userId)
  if (!user?.active || !mfa?.enabled_at) return fail(deps, ctx, pending, 'recovery_code', 'unavailable')
  if (await isThrottled(db, pending.userId, now)) return fail(deps, ctx, pending, 'recovery_code', 'throttled')
  const code = normaliseRecoveryCode(input)
  if (!code) return fail(deps, ctx, pending, 'recovery_code', 'wrong')

  let match: string | undefined
  for (const row of await unusedRecoveryCodes(db, pending.organisationId, pending.userId)) {
    if (await verifyPassword(row.code_hash, code)) {
      match = row.id
      break
    }
  }
  if (!match) return fail(deps, ctx, pending, 'recovery_code', 'wrong')
  const left = await db.transaction().execute(async (tx) => {
    if (!(await markRecoveryCodeUsed(tx, pending.organisationId, match, now))) return undefined
    const remaining = await countUnusedRecoveryCodes(tx, pending.organisationId, pending.userId)
    await clearThrottle(tx, pending.userId)
    await auditAttempt(tx, ctx, pending, 'recovery_code', 'ok', { recovery_codes_left: remaining })
    await tellAccountHolder(tx, deps, pending.organisationId, { id: user.id, email: user.email }, { kind: 'recovery-code-used', left: remaining }, now)
    return remaining
  })
  if (left === undefined) return fail(deps, ctx, pending, 'recovery_code', 'reused')
  return { ok: true, user, recoveryCodesLeft: left }
}
