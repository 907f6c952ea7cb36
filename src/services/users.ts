import type { AppDeps, SignedInContext } from '../context.js'
import { rolesGranted, type GrantableRole } from '../domain/roles.js'
import { newId } from '../ids.js'
import { deleteUserSessions } from '../repositories/session-repository.js'
import { findUser, insertUser, replaceRoles, setPassword, setUserActive, updateUserDetails } from '../repositories/user-repository.js'
import { alertSeniorLeadOfficers } from './access-alerts.js'
import { tellAccountHolder } from './account-notices.js'
import { audit } from './audit.js'
import { generateTemporaryPassword, hashPassword } from './passwords.js'

export interface UserInput {
  displayName: string
  email: string
  serviceId: string | null
  roles: GrantableRole[]
}

/** Creates an account with a temporary password the administrator passes on; it must be changed at first sign-in. */
export async function createUser(deps: AppDeps, ctx: SignedInContext, input: UserInput) {
  const temporaryPassword = generateTemporaryPassword()
  const passwordHash = await hashPassword(temporaryPassword)
  const id = newId()
  await deps.database.db.transaction().execute(async (tx) => {
    await insertUser(tx, {
      organisationId: ctx.user.organisationId,
      id,
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      mustChangePassword: true,
      serviceId: input.serviceId,
      roles: input.roles,
    })
    await audit(tx, ctx, { action: 'user.create', recordType: 'user', recordId: id, details: { roles: input.roles } })
    await alertSeniorLeadOfficers(tx, deps, ctx, { kind: 'granted', person: input.displayName, roles: rolesGranted([], input.roles), newAccount: true })
  })
  return { id, temporaryPassword }
}

export type UpdateResult = 'updated' | 'conflict' | 'not_found'

/** Role changes apply on the user's next request: the current-user middleware reloads roles every time. */
export async function updateUser(deps: AppDeps, ctx: SignedInContext, userId: string, version: number, input: UserInput): Promise<UpdateResult> {
  return deps.database.db.transaction().execute(async (tx) => {
    const before = await findUser(tx, ctx.user.organisationId, userId)
    if (!before) return 'not_found'
    const ok = await updateUserDetails(tx, ctx.user.organisationId, userId, version, input)
    if (!ok) return 'conflict'
    await replaceRoles(tx, ctx.user.organisationId, userId, input.roles)
    const changed = [
      before.display_name !== input.displayName && 'display_name',
      before.email !== input.email.toLowerCase() && 'email',
      before.service_id !== input.serviceId && 'service_id',
      before.roles.join(',') !== [...input.roles].sort().join(',') && 'roles',
    ].filter(Boolean)
    await audit(tx, ctx, {
      action: 'user.update',
      recordType: 'user',
      recordId: userId,
      details: { fields: changed, roles_before: before.roles, roles_after: [...input.roles].sort() },
    })
    await alertSeniorLeadOfficers(tx, deps, ctx, { kind: 'granted', person: input.displayName, roles: rolesGranted(before.roles, input.roles), newAccount: false })
    return 'updated'
  })
}

/** Deactivating ends every session the user has, at once. */
export async function setActive(deps: AppDeps, ctx: SignedInContext, userId: string, version: number, active: boolean): Promise<UpdateResult> {
  return deps.database.db.transaction().execute(async (tx) => {
    const ok = await setUserActive(tx, ctx.user.organisationId, userId, active, ctx.now(), version)
    if (!ok) return (await findUser(tx, ctx.user.organisationId, userId)) ? 'conflict' : 'not_found'
    const ended = active ? 0 : await deleteUserSessions(tx, ctx.user.organisationId, userId, ctx.now())
    await audit(tx, ctx, { action: active ? 'user.reactivate' : 'user.deactivate', recordType: 'user', recordId: userId, details: { sessions_ended: ended } })
    return 'updated'
  })
}

export async function resetPassword(deps: AppDeps, ctx: SignedInContext, userId: string) {
  const temporaryPassword = generateTemporaryPassword()
  const passwordHash = await hashPassword(temporaryPassword)
  const found = await deps.database.db.transaction().execute(async (tx) => {
    const user = await findUser(tx, ctx.user.organisationId, userId)
    if (!user) return false
    await setPassword(tx, ctx.user.organisationId, userId, passwordHash, true)
    await deleteUserSessions(tx, ctx.user.organisationId, userId, ctx.now())
    await audit(tx, ctx, { action: 'user.password-reset', recordType: 'user', recordId: userId })
    await tellAccountHolder(tx, deps, ctx.user.organisationId, { id: user.id, email: user.email }, { kind: 'password-reset', by: ctx.user.displayName }, ctx.now())
    if (user.roles.length) await alertSeniorLeadOfficers(tx, deps, ctx, { kind: 'password-reset', person: user.display_name })
    return true
  })
  return found ? temporaryPassword : undefined
}
