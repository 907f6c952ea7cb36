import type { AppDeps, SignedInContext } from '../context.js'
import { BREAK_GLASS_MINUTES, mayBreakGlass, mayRestrict } from '../domain/case-record-rules.js'
import { newId } from '../ids.js'
import { paths } from '../paths.js'
import { findVisibleConcern } from '../repositories/concern-repository.js'
import { findByReference, insertBreakGlass, isNamedOnCase, listNameableUsers, listUsersWithRole, setRestriction } from '../repositories/restriction-repository.js'
import { userNames } from '../repositories/triage-repository.js'
import { audit } from './audit.js'
import { breakGlassMessage } from './case-messages.js'
import { caseTransaction, openCase, type CaseOutcome } from './case-outcome.js'
import { chronicle } from './chronology.js'
import { notifyPerson } from './notifications.js'

/**
 * Restricts a case to the people named (the manager doing it is always named, so they do not
 * lock themselves out), changes who is named, or lifts the restriction. Version-checked.
 */
export async function changeRestriction(deps: AppDeps, ctx: SignedInContext, concernId: string, expectedVersion: number, input: { restricted: boolean; userIds: string[]; reason: string }): Promise<CaseOutcome<'userIds'>> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    if (concern.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayRestrict(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    const nameable = new Set((await listNameableUsers(tx, organisationId)).map((u) => u.id))
    const named = input.restricted ? [...new Set([ctx.user.id, ...input.userIds])] : []
    if (named.some((id) => !nameable.has(id))) return { kind: 'invalid', problems: [{ field: 'userIds', message: 'Select people from the list' }] }
    if (!(await setRestriction(tx, organisationId, concernId, expectedVersion, input.restricted, named, ctx.user.id, ctx.now()))) return { kind: 'conflict' }
    const names = await userNames(tx, organisationId, named)
    const who = named.map((id) => names.get(id)).join(', ')
    await chronicle(tx, ctx, concernId, input.restricted ? 'Case restricted' : 'Restriction lifted', input.restricted ? `${ctx.user.displayName} restricted the case to: ${who}. Reason: ${input.reason}` : `${ctx.user.displayName} lifted the restriction. Reason: ${input.reason}`, { significant: true })
    await audit(tx, ctx, { action: input.restricted ? (concern.restricted ? 'concern.restriction-change' : 'concern.restrict') : 'concern.unrestrict', recordType: 'concern', recordId: concernId, details: { fields: ['restricted', 'concern_access'], named_user_ids: named } })
    return { kind: 'done' }
  })
}

export type BreakGlassOutcome = { kind: 'opened'; concernId: string } | { kind: 'visible'; concernId: string } | { kind: 'unknown_reference' } | { kind: 'refused'; reason: string }

/**
 * A manager not named on a restricted case opens it by giving a reason. The opening lasts
 * BREAK_GLASS_MINUTES, is recorded with the reason, audited, and every Senior Lead Officer is
 * alerted at once.
 */
export async function breakGlass(deps: AppDeps, ctx: SignedInContext, reference: string, reason: string): Promise<BreakGlassOutcome> {
  const organisationId = ctx.user.organisationId
  const now = ctx.now()
  return deps.database.db.transaction().execute(async (tx): Promise<BreakGlassOutcome> => {
    const concern = await findByReference(tx, organisationId, reference)
    if (!concern) return { kind: 'unknown_reference' }
    if (await findVisibleConcern(tx, organisationId, concern.id, ctx.user.id, now)) return { kind: 'visible', concernId: concern.id }
    const permission = mayBreakGlass(ctx.user, concern, await isNamedOnCase(tx, organisationId, concern.id, ctx.user.id))
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    const id = newId()
    await insertBreakGlass(tx, { organisationId, id, concernId: concern.id, userId: ctx.user.id, reason, openedAt: now, expiresAt: new Date(now.getTime() + BREAK_GLASS_MINUTES * 60_000) })
    await audit(tx, ctx, { action: 'concern.break-glass', recordType: 'concern', recordId: concern.id, details: { break_glass_id: id, minutes: BREAK_GLASS_MINUTES } })
    for (const slo of await listUsersWithRole(tx, organisationId, 'senior_lead_officer')) {
      if (slo.id === ctx.user.id) continue
      await notifyPerson(tx, organisationId, { id: slo.id, email: slo.email }, breakGlassMessage(concern.reference, ctx.user.displayName, `${deps.config.publicUrl}${paths.breakGlassLog()}`), { concernId: concern.id, href: paths.breakGlassLog(), now })
    }
    return { kind: 'opened', concernId: concern.id }
  })
}
