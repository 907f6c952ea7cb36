import type { AppDeps, SignedInContext } from '../context.js'
import { deleteMfa } from '../repositories/mfa-repository.js'
import { findSecuritySettings, updateSecuritySettings } from '../repositories/security-setting-repository.js'
import { deleteUserSessions } from '../repositories/session-repository.js'
import { findUser } from '../repositories/user-repository.js'
import { tellAccountHolder } from './account-notices.js'
import { alertSeniorLeadOfficers } from './access-alerts.js'
import { audit } from './audit.js'

/**
 * An administrator removes someone's authenticator and recovery codes (a lost phone). They are
 * signed out everywhere; at their next sign-in they set up a new authenticator if their
 * organisation requires one.
 */
export async function resetUserMfa(deps: AppDeps, ctx: SignedInContext, userId: string): Promise<'reset' | 'not_enrolled' | 'not_found'> {
  return deps.database.db.transaction().execute(async (tx) => {
    const user = await findUser(tx, ctx.user.organisationId, userId)
    if (!user) return 'not_found'
    const removed = await deleteMfa(tx, ctx.user.organisationId, userId)
    if (!removed) return 'not_enrolled'
    const ended = await deleteUserSessions(tx, ctx.user.organisationId, userId, ctx.now())
    await audit(tx, ctx, { action: 'user.mfa-reset', recordType: 'user', recordId: userId, details: { sessions_ended: ended } })
    await tellAccountHolder(tx, deps, ctx.user.organisationId, { id: user.id, email: user.email }, { kind: 'mfa-reset', by: ctx.user.displayName }, ctx.now())
    if (user.roles.length) await alertSeniorLeadOfficers(tx, deps, ctx, { kind: 'mfa-reset', person: user.display_name })
    return 'reset'
  })
}

/** Turning the requirement on applies on each affected person's next request. */
export async function saveSecuritySettings(deps: AppDeps, ctx: SignedInContext, version: number, mfaRequired: boolean): Promise<'updated' | 'conflict'> {
  return deps.database.db.transaction().execute(async (tx) => {
    const before = await findSecuritySettings(tx, ctx.user.organisationId)
    const ok = await updateSecuritySettings(tx, ctx.user.organisationId, version, { mfaRequired, by: ctx.user.id, at: ctx.now() })
    if (!ok) return 'conflict'
    await audit(tx, ctx, {
      action: 'organisation.security-settings',
      recordType: 'organisation',
      recordId: ctx.user.organisationId,
      details: { fields: before.mfa_required !== mfaRequired ? ['mfa_required'] : [], mfa_required: mfaRequired },
    })
    return 'updated'
  })
}
