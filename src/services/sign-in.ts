import type { AppDeps, RequestContext } from '../context.js'
import { appendAudit } from '../repositories/audit-repository.js'
import { defaultOrganisationId } from '../repositories/organisation-repository.js'
import { clearFailures, countRecentFailures, recordFailures } from '../repositories/sign-in-throttle-repository.js'
import { findUserByEmail, type UserRecord } from '../repositories/user-repository.js'
import { verifyPassword } from './passwords.js'

export const THROTTLE_WINDOW_MS = 15 * 60_000
export const MAX_FAILURES_PER_ACCOUNT = 5
export const MAX_FAILURES_PER_ADDRESS = 50

export type SignInResult = { ok: true; user: UserRecord } | { ok: false; reason: 'invalid' | 'throttled' }

/**
 * Checks an email and password. The answer to the person is the same whether or not the account
 * exists; throttling is keyed on the address typed, not on whether it names an account, so it
 * reveals nothing either. Every attempt is audited.
 */
export async function signIn(deps: AppDeps, ctx: RequestContext, emailInput: string, password: string): Promise<SignInResult> {
  const db = deps.database.db
  const now = ctx.now()
  const email = emailInput.trim().toLowerCase()
  const accountKey = `account:${email}`
  const addressKey = `address:${ctx.ip}`

  const failures = await countRecentFailures(db, [accountKey, addressKey], new Date(now.getTime() - THROTTLE_WINDOW_MS))
  const throttled = (failures.get(accountKey) ?? 0) >= MAX_FAILURES_PER_ACCOUNT || (failures.get(addressKey) ?? 0) >= MAX_FAILURES_PER_ADDRESS

  const user = await findUserByEmail(db, email)
  // Always pay for one password check, so timing does not tell throttled or unknown apart.
  const passwordOk = await verifyPassword(user?.password_hash, password)

  const auditOrg = user?.organisation_id ?? (await defaultOrganisationId(db))
  const outcome = throttled ? 'throttled' : !user ? 'unknown_account' : !passwordOk ? 'wrong_password' : !user.active ? 'inactive' : 'ok'

  await db.transaction().execute(async (tx) => {
    if (outcome === 'ok') {
      await clearFailures(tx, accountKey)
    } else if (outcome !== 'throttled') {
      await recordFailures(tx, [accountKey, addressKey], now)
    }
    if (auditOrg) {
      await appendAudit(tx, {
        organisationId: auditOrg,
        actorUserId: user?.id ?? null,
        action: 'auth.sign-in',
        outcome: outcome === 'ok' ? 'success' : outcome === 'throttled' || outcome === 'inactive' ? 'denied' : 'failure',
        recordType: user ? 'user' : null,
        recordId: user?.id ?? null,
        requestId: ctx.requestId,
        occurredAt: now,
        details: { reason: outcome },
        chainKey: ctx.chainKey,
      })
    }
  })

  if (outcome === 'ok' && user) return { ok: true, user }
  return { ok: false, reason: outcome === 'throttled' ? 'throttled' : 'invalid' }
}
