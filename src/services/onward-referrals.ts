import type { AppDeps, SignedInContext } from '../context.js'
import type { Consent, ReferralMethod, ReferralOutcome } from '../db/schema.js'
import { CONSENT_LABELS, OUTCOME_LABELS } from '../domain/onward-referral-rules.js'
import { mayManageReferrals } from '../domain/triage-access.js'
import { newId } from '../ids.js'
import { findVisibleConcern } from '../repositories/concern-repository.js'
import { findOnwardReferral, insertOnwardReferral, recordReferralOutcome } from '../repositories/onward-referral-repository.js'
import { audit } from './audit.js'
import { chronicle } from './chronology.js'
import type { TriageOutcome } from './triage-outcome.js'

export interface ReferralRequest {
  agency: string
  agencyOther: string | null
  madeAt: Date
  method: ReferralMethod
  contact: string | null
  agencyReference: string | null
  consent: Consent
  consentReason: string | null
  informationShared: string | null
  followUpOn: string | null
}

/** The Lead DSO records an onward referral. The submission key makes a double submit record one. */
export async function addOnwardReferral(deps: AppDeps, ctx: SignedInContext, concernId: string, submissionKey: string, r: ReferralRequest): Promise<TriageOutcome> {
  const organisationId = ctx.user.organisationId
  return deps.database.db.transaction().execute(async (tx): Promise<TriageOutcome> => {
    const concern = await findVisibleConcern(tx, organisationId, concernId, ctx.user.id)
    if (!concern) return { kind: 'not_found' }
    const permission = mayManageReferrals(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    const id = newId()
    const created = await insertOnwardReferral(tx, { organisationId, id, concernId, ...r, createdBy: ctx.user.id, createdAt: ctx.now(), submissionKey })
    if (!created) return { kind: 'done' } // the same form sent twice: the first one stands
    const agency = r.agencyOther ? `${r.agency}: ${r.agencyOther}` : r.agency
    await chronicle(tx, ctx, concernId, 'Onward referral', `Referred to ${agency} by ${ctx.user.displayName}. ${CONSENT_LABELS[r.consent]}.`, { significant: true, occurredAt: r.madeAt })
    await audit(tx, ctx, {
      action: 'onward-referral.create',
      recordType: 'onward_referral',
      recordId: id,
      details: { concern_id: concernId, fields: Object.entries(r).filter(([, v]) => v !== null).map(([k]) => k) },
    })
    return { kind: 'done' }
  })
}

/** The Lead DSO records what the agency did. Versioned: two people saving at once cannot both win. */
export async function recordOutcome(deps: AppDeps, ctx: SignedInContext, concernId: string, referralId: string, expectedVersion: number, outcome: ReferralOutcome, note: string | null): Promise<TriageOutcome> {
  const organisationId = ctx.user.organisationId
  return deps.database.db.transaction().execute(async (tx): Promise<TriageOutcome> => {
    const concern = await findVisibleConcern(tx, organisationId, concernId, ctx.user.id)
    if (!concern) return { kind: 'not_found' }
    const referral = await findOnwardReferral(tx, organisationId, concernId, referralId)
    if (!referral) return { kind: 'not_found' }
    const permission = mayManageReferrals(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    if (referral.version !== expectedVersion) return { kind: 'conflict' }
    if (!(await recordReferralOutcome(tx, organisationId, referralId, expectedVersion, { outcome, note, at: ctx.now(), by: ctx.user.id }))) return { kind: 'conflict' }
    const agency = referral.agency_other ? `${referral.agency}: ${referral.agency_other}` : referral.agency
    await chronicle(tx, ctx, concernId, 'Referral outcome', `${agency}: ${OUTCOME_LABELS[outcome]}. Recorded by ${ctx.user.displayName}.`, { significant: true })
    await audit(tx, ctx, { action: 'onward-referral.outcome', recordType: 'onward_referral', recordId: referralId, details: { concern_id: concernId, fields: ['outcome', 'outcome_recorded_at', 'outcome_recorded_by', ...(note ? ['outcome_note'] : [])], previous_outcome_recorded: referral.outcome !== null } })
    return { kind: 'done' }
  })
}
