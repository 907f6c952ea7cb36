import type { AppDeps, SignedInContext } from '../context.js'
import { allocationProblems, type Candidate } from '../domain/allocation-rules.js'
import { mayAllocate } from '../domain/triage-access.js'
import { londonDate } from '../domain/working-days.js'
import { isUuid } from '../ids.js'
import { paths } from '../paths.js'
import { findVisibleConcern } from '../repositories/concern-repository.js'
import { isOnDuty } from '../repositories/rota-repository.js'
import { allocateConcern } from '../repositories/triage-repository.js'
import { findUser } from '../repositories/user-repository.js'
import { audit } from './audit.js'
import { chronicle } from './chronology.js'
import { allocationMessage } from './notification-messages.js'
import { notifyPerson } from './notifications.js'
import type { TriageOutcome } from './triage-outcome.js'

export interface AllocationRequest {
  leadId: string | null
  secondId: string | null
  reason: string | null
}

/**
 * Sets (or changes) the Lead and Second DSO, in one transaction with its history row, chronology
 * entry, audit row and the notifications to the people chosen. Two people allocating at once:
 * the concern's version lets exactly one succeed.
 */
export async function allocate(deps: AppDeps, ctx: SignedInContext, concernId: string, expectedVersion: number, request: AllocationRequest): Promise<TriageOutcome<'leadId' | 'secondId' | 'reason'>> {
  const organisationId = ctx.user.organisationId
  const now = ctx.now()
  return deps.database.db.transaction().execute(async (tx): Promise<TriageOutcome<'leadId' | 'secondId' | 'reason'>> => {
    const concern = await findVisibleConcern(tx, organisationId, concernId, ctx.user.id)
    if (!concern) return { kind: 'not_found' }
    if (concern.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayAllocate(ctx.user, concern, await isOnDuty(tx, organisationId, londonDate(now), ctx.user.id))
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }

    const candidates = new Map<string, Candidate>()
    // Only well-formed ids reach the query: anything else is simply not a person (a clear 400, not a 500).
    const chosen = await Promise.all([request.leadId, request.secondId].map((id) => (id && isUuid(id) ? findUser(tx, organisationId, id) : undefined)))
    for (const u of chosen) if (u) candidates.set(u.id, { id: u.id, displayName: u.display_name, activeDso: u.active && u.roles.includes('dso') })
    const problems: TriageOutcome<'leadId' | 'secondId' | 'reason'> & { kind: 'invalid' } = {
      kind: 'invalid',
      problems: allocationProblems(request, { referrerUserId: concern.referrer_user_id, personName: concern.person_name, personKnownAs: concern.person_known_as, householdMembers: concern.household_members }, candidates),
    }
    const reallocation = concern.status !== 'submitted'
    if (reallocation && !request.reason) problems.problems.push({ field: 'reason', message: 'Enter the reason for changing the allocation' })
    if (reallocation && request.leadId === concern.lead_dso_id && request.secondId === concern.second_dso_id && problems.problems.length === 0) {
      problems.problems.push({ field: 'leadId', message: 'Choose a different Lead or Second DSO, or cancel' })
    }
    if (problems.problems.length) return problems

    const lead = candidates.get(request.leadId!)!
    const second = candidates.get(request.secondId!)!
    const secondChanged = concern.second_dso_id !== second.id
    const updated = await allocateConcern(tx, organisationId, concernId, expectedVersion, {
      leadId: lead.id,
      secondId: second.id,
      by: ctx.user.id,
      at: now,
      reason: request.reason,
      status: concern.status === 'submitted' ? 'allocated' : concern.status,
      resetAgreement: secondChanged && concern.status === 'allocated',
    })
    if (!updated) return { kind: 'conflict' }

    const changed = ['lead_dso_id', 'second_dso_id'].filter((f) => (f === 'lead_dso_id' ? concern.lead_dso_id !== lead.id : secondChanged))
    await chronicle(
      tx,
      ctx,
      concernId,
      reallocation ? 'Reallocated' : 'Allocated',
      `${reallocation ? 'Reallocated' : 'Allocated'} by ${ctx.user.displayName}: Lead DSO ${lead.displayName}, Second DSO ${second.displayName}.${request.reason ? ` Reason: ${request.reason}` : ''}`,
      { significant: !reallocation },
    )
    await audit(tx, ctx, {
      action: reallocation ? 'concern.reallocate' : 'concern.allocate',
      recordType: 'concern',
      recordId: concernId,
      details: { lead_dso_id: lead.id, second_dso_id: second.id, fields: [...changed, 'allocated_at', 'allocated_by', ...(reallocation ? [] : ['status'])] },
    })
    const link = `${deps.config.publicUrl}${paths.concern(concernId)}`
    for (const [person, role] of [[chosen.find((u) => u?.id === lead.id)!, 'Lead DSO'] as const, [chosen.find((u) => u?.id === second.id)!, 'Second DSO'] as const]) {
      const isNew = role === 'Lead DSO' ? concern.lead_dso_id !== person.id : secondChanged
      if (!isNew) continue
      await notifyPerson(tx, organisationId, { id: person.id, email: person.email }, allocationMessage(concern.reference, role, link), { concernId, href: paths.concern(concernId), now })
    }
    return { kind: 'done' }
  })
}
