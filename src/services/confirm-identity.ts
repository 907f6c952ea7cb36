import type { AppDeps, SignedInContext } from '../context.js'
import { findMfa } from '../repositories/mfa-repository.js'
import { clearFailures, countRecentFailures, recordFailures } from '../repositories/sign-in-throttle-repository.js'
import { findUser } from '../repositories/user-repository.js'
import { audit } from './audit.js'
import { verifySignInCode, type SecondFactorFailure } from './mfa-sign-in.js'
import { verifyPassword } from './passwords.js'
import { MAX_FAILURES_PER_ACCOUNT, THROTTLE_WINDOW_MS } from './sign-in.js'

export type ConfirmResult = { ok: true } | { ok: false; field: 'password'; reason: 'wrong' | 'throttled' } | { ok: false; field: 'code'; reason: SecondFactorFailure }

/** Whether "Confirm it's you" must also ask for a code: the person has an authenticator set up. */
export async function confirmationNeedsCode(deps: AppDeps, ctx: SignedInContext): Promise<boolean> {
  const mfa = await findMfa(deps.database.db, ctx.user.organisationId, ctx.user.id)
  return Boolean(mfa?.enabled_at)
}

/**
 * The signed-in person proves again that they are who the session says, before a sensitive action
 * (domain/fresh-sign-in.ts): their password, and the code from their authenticator if they have
 * one. Wrong passwords count against the same per-account budget as sign-in, and a code goes
 * through the sign-in check (replay refused, its own limit), so an unattended session cannot be
 * used to guess either. Every attempt is audited (`auth.confirm`, and `auth.mfa-code` for codes).
 */
export async function confirmIdentity(deps: AppDeps, ctx: SignedInContext, password: string, code: string | undefined): Promise<ConfirmResult> {
  const db = deps.database.db
  const now = ctx.now()
  const user = await findUser(db, ctx.user.organisationId, ctx.user.id)
  const accountKey = `account:${(user?.email ?? ctx.user.email).toLowerCase()}`
  const failures = await countRecentFailures(db, [accountKey], new Date(now.getTime() - THROTTLE_WINDOW_MS))
  const throttled = (failures.get(accountKey) ?? 0) >= MAX_FAILURES_PER_ACCOUNT
  // Paid for even when throttled, so timing does not tell the two apart.
  const passwordOk = (await verifyPassword(user?.password_hash, password)) && Boolean(user?.active)
  const passwordOutcome = throttled ? 'throttled' : passwordOk ? 'ok' : 'wrong'

  if (passwordOutcome !== 'ok') {
    await db.transaction().execute(async (tx) => {
      if (passwordOutcome === 'wrong') await recordFailures(tx, [accountKey], now)
      await audit(tx, ctx, { action: 'auth.confirm', outcome: passwordOutcome === 'throttled' ? 'denied' : 'failure', recordType: 'user', recordId: ctx.user.id, details: { reason: `${passwordOutcome}_password` } })
    })
    return { ok: false, field: 'password', reason: passwordOutcome }
  }

  if (await confirmationNeedsCode(deps, ctx)) {
    const second = await verifySignInCode(deps, ctx, { organisationId: ctx.user.organisationId, userId: ctx.user.id }, code ?? '')
    if (!second.ok) {
      await db.transaction().execute((tx) => audit(tx, ctx, { action: 'auth.confirm', outcome: 'failure', recordType: 'user', recordId: ctx.user.id, details: { reason: `${second.reason}_code` } }))
      return { ok: false, field: 'code', reason: second.reason }
    }
  }
  await db.transaction().execute(async (tx) => {
    await clearFailures(tx, accountKey)
    await audit(tx, ctx, { action: 'auth.confirm', recordType: 'user', recordId: ctx.user.id })
  })
  return { ok: true }
}
