import type { AppDeps, SignedInContext } from '../context.js'
import { advanceTimeStep, enableMfa, findMfa, replaceRecoveryCodes, savePendingSecret } from '../repositories/mfa-repository.js'
import { deleteUserSessions } from '../repositories/session-repository.js'
import { tellAccountHolder } from './account-notices.js'
import { audit } from './audit.js'
import { clearThrottle, isThrottled, newRecoveryCodes, openSecret, recordFailure, sealSecret } from './mfa-common.js'
import { SecretBoxError } from './secret-box.js'
import { checkTotp, newTotpSecret } from './totp.js'

export type BeginResult = { status: 'pending'; secret: string } | { status: 'enrolled' }

/**
 * The secret to show while someone sets up their authenticator. An unfinished set-up keeps its
 * secret (reloading the page must not invalidate what they have just scanned); it is kept
 * sealed in the database, never in the session.
 */
export async function beginEnrolment(deps: AppDeps, ctx: SignedInContext): Promise<BeginResult> {
  const { organisationId, id: userId } = ctx.user
  const db = deps.database.db
  const existing = await findMfa(db, organisationId, userId)
  if (existing?.enabled_at) return { status: 'enrolled' }
  if (existing) {
    try {
      return { status: 'pending', secret: openSecret(deps, organisationId, userId, existing.secret_ciphertext).secret }
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error
      // Sealed with a key no longer configured: start again with a new secret.
    }
  }
  const secret = newTotpSecret()
  const sealed = sealSecret(deps, organisationId, userId, secret)
  const saved = await db.transaction().execute(async (tx) => {
    const ok = await savePendingSecret(tx, organisationId, userId, sealed, ctx.now())
    if (ok) await audit(tx, ctx, { action: 'auth.mfa-setup-start', recordType: 'user', recordId: userId })
    return ok
  })
  return saved ? { status: 'pending', secret } : { status: 'enrolled' }
}

export type CodeFailure = 'wrong' | 'reused' | 'throttled'
export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: CodeFailure | 'enrolled' | 'not_started' }

/**
 * Finishes set-up with a code from the app, which proves it was scanned correctly. Other
 * sessions (signed in with the password alone) end; this one carries on.
 */
export async function confirmEnrolment(deps: AppDeps, ctx: SignedInContext, code: string, sessionId: string): Promise<ConfirmResult> {
  const { organisationId, id: userId } = ctx.user
  const db = deps.database.db
  const now = ctx.now()
  const pending = await findMfa(db, organisationId, userId)
  if (!pending) return { ok: false, reason: 'not_started' }
  if (pending.enabled_at) return { ok: false, reason: 'enrolled' }

  const throttled = await isThrottled(db, userId, now)
  const check = throttled ? undefined : await checkTotp(openSecret(deps, organisationId, userId, pending.secret_ciphertext).secret, code, now, null)
  if (!check?.ok) {
    const reason: CodeFailure = check ? check.reason : 'throttled'
    await db.transaction().execute(async (tx) => {
      if (reason !== 'throttled') await recordFailure(tx, userId, now)
      await audit(tx, ctx, { action: 'auth.mfa-enrol', outcome: reason === 'throttled' ? 'denied' : 'failure', recordType: 'user', recordId: userId, details: { reason } })
    })
    return { ok: false, reason }
  }

  const { codes, rows } = await newRecoveryCodes()
  const enabled = await db.transaction().execute(async (tx) => {
    if (!(await enableMfa(tx, organisationId, userId, check.timeStep, now))) return false
    await replaceRecoveryCodes(tx, organisationId, userId, rows, now)
    const ended = await deleteUserSessions(tx, organisationId, userId, now, sessionId)
    await clearThrottle(tx, userId)
    await audit(tx, ctx, { action: 'auth.mfa-enrol', recordType: 'user', recordId: userId, details: { recovery_codes: rows.length, sessions_ended: ended } })
    await tellAccountHolder(tx, deps, organisationId, { id: userId, email: ctx.user.email }, { kind: 'mfa-set-up' }, now)
    return true
  })
  return enabled ? { ok: true, recoveryCodes: codes } : { ok: false, reason: 'enrolled' }
}

export type RegenerateResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: CodeFailure | 'not_enrolled' }

/** New recovery codes replace all the old ones; a current code from the app is asked for first. */
export async function regenerateRecoveryCodes(deps: AppDeps, ctx: SignedInContext, code: string): Promise<RegenerateResult> {
  const { organisationId, id: userId } = ctx.user
  const db = deps.database.db
  const now = ctx.now()
  const mfa = await findMfa(db, organisationId, userId)
  if (!mfa?.enabled_at) return { ok: false, reason: 'not_enrolled' }

  const throttled = await isThrottled(db, userId, now)
  const check = throttled ? undefined : await checkTotp(openSecret(deps, organisationId, userId, mfa.secret_ciphertext).secret, code, now, mfa.last_time_step)
  const { codes, rows } = check?.ok ? await newRecoveryCodes() : { codes: [], rows: [] }
  const outcome = await db.transaction().execute(async (tx) => {
    const reason: CodeFailure | undefined = !check ? 'throttled' : !check.ok ? check.reason : (await advanceTimeStep(tx, organisationId, userId, check.timeStep)) ? undefined : 'reused'
    if (reason) {
      if (reason !== 'throttled') await recordFailure(tx, userId, now)
      await audit(tx, ctx, { action: 'auth.mfa-recovery-codes', outcome: reason === 'throttled' ? 'denied' : 'failure', recordType: 'user', recordId: userId, details: { reason } })
      return reason
    }
    await replaceRecoveryCodes(tx, organisationId, userId, rows, now)
    await clearThrottle(tx, userId)
    await audit(tx, ctx, { action: 'auth.mfa-recovery-codes', recordType: 'user', recordId: userId, details: { recovery_codes: rows.length } })
    await tellAccountHolder(tx, deps, organisationId, { id: userId, email: ctx.user.email }, { kind: 'recovery-codes-replaced' }, now)
    return undefined
  })
  return outcome ? { ok: false, reason: outcome } : { ok: true, recoveryCodes: codes }
}
