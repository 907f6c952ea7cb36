import type { AppDeps, SignedInContext } from '../context.js'
import { deleteUserSessions } from '../repositories/session-repository.js'
import { clearFailures, countRecentFailures, recordFailures } from '../repositories/sign-in-throttle-repository.js'
import { findUser, setPassword } from '../repositories/user-repository.js'
import { tellAccountHolder } from './account-notices.js'
import { audit } from './audit.js'
import { hashPassword, verifyPassword } from './passwords.js'
import { MAX_FAILURES_PER_ACCOUNT, THROTTLE_WINDOW_MS } from './sign-in.js'

export type PasswordChangeResult = 'changed' | 'wrong_password' | 'throttled'

/**
 * Changes the signed-in person's own password. A wrong current password counts against the same
 * per-account budget as sign-in, so a borrowed or stolen session cannot be used to guess the
 * password without limit; every attempt, right or wrong, is audited.
 */
export async function changeOwnPassword(deps: AppDeps, ctx: SignedInContext, keepSessionId: string, currentPassword: string, newPassword: string): Promise<PasswordChangeResult> {
  const db = deps.database.db
  const now = ctx.now()
  const user = await findUser(db, ctx.user.organisationId, ctx.user.id)
  if (!user) return 'wrong_password'
  const accountKey = `account:${user.email.toLowerCase()}`
  const failures = await countRecentFailures(db, [accountKey], new Date(now.getTime() - THROTTLE_WINDOW_MS))
  const throttled = (failures.get(accountKey) ?? 0) >= MAX_FAILURES_PER_ACCOUNT
  // The check is paid for even when throttled, so timing does not tell the two apart.
  const passwordOk = await verifyPassword(user.password_hash, currentPassword)
  const outcome: PasswordChangeResult = throttled ? 'throttled' : passwordOk ? 'changed' : 'wrong_password'
  const newHash = outcome === 'changed' ? await hashPassword(newPassword) : undefined

  await db.transaction().execute(async (tx) => {
    if (outcome === 'wrong_password') await recordFailures(tx, [accountKey], now)
    if (outcome === 'changed' && newHash) {
      await setPassword(tx, ctx.user.organisationId, ctx.user.id, newHash, false)
      // Any other session (another browser, a stolen cookie) ends with the old password.
      await deleteUserSessions(tx, ctx.user.organisationId, ctx.user.id, now, keepSessionId)
      await clearFailures(tx, accountKey)
      await tellAccountHolder(tx, deps, ctx.user.organisationId, { id: user.id, email: user.email }, { kind: 'password-changed' }, now)
    }
    await audit(tx, ctx, {
      action: 'auth.password-change',
      outcome: outcome === 'changed' ? 'success' : outcome === 'throttled' ? 'denied' : 'failure',
      recordType: 'user',
      recordId: ctx.user.id,
      ...(outcome === 'changed' ? {} : { details: { reason: outcome } }),
    })
  })
  return outcome
}
