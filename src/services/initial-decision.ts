import type { AppDeps, SignedInContext } from '../context.js'
import type { Decision, RiskLevel } from '../db/schema.js'
import { concernTypeLabel } from '../domain/reference-lists.js'
import { decisionProblems, DECISION_LABELS, RISK_LABELS, type SecondAgreement } from '../domain/decision-rules.js'
import { mayRecordDecision } from '../domain/triage-access.js'
import { isWithinTarget } from '../domain/working-days.js'
import { paths } from '../paths.js'
import { findVisibleConcern } from '../repositories/concern-repository.js'
import { recordDecision } from '../repositories/triage-repository.js'
import { findUser } from '../repositories/user-repository.js'
import { audit } from './audit.js'
import { chronicle } from './chronology.js'
import { decisionRecordedMessage, referrerUpdateMessage } from './notification-messages.js'
import { notifyPerson } from './notifications.js'
import type { TriageOutcome } from './triage-outcome.js'

export interface DecisionRequest {
  decision: Decision
  riskLevel: RiskLevel
  confirmedTypes: string[]
  rationale: string
  delayReason: string | null
  agreement: SecondAgreement | null
}

export type DecisionField = 'delayReason' | 'agreement' | 'agreedAt'

/**
 * The Lead DSO's initial decision: stops the clock (addressed_at), opens the case, records the
 * Second DSO's agreement, and tells the referrer in privacy-safe words that it was dealt with.
 */
export async function recordInitialDecision(deps: AppDeps, ctx: SignedInContext, concernId: string, expectedVersion: number, request: DecisionRequest): Promise<TriageOutcome<DecisionField>> {
  const organisationId = ctx.user.organisationId
  const now = ctx.now()
  return deps.database.db.transaction().execute(async (tx): Promise<TriageOutcome<DecisionField>> => {
    const concern = await findVisibleConcern(tx, organisationId, concernId, ctx.user.id)
    if (!concern) return { kind: 'not_found' }
    if (concern.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayRecordDecision(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    const problems = decisionProblems(
      { dueAt: concern.due_at, allocatedAt: concern.allocated_at, secondAgreedAt: concern.second_agreed_at, secondAgreementMethod: concern.second_agreement_method },
      { delayReason: request.delayReason, agreement: request.agreement },
      now,
    )
    if (problems.length) return { kind: 'invalid', problems }
    const alreadyConfirmed = concern.second_agreed_at !== null && concern.second_agreement_method === 'confirmed_in_kestrel'
    const recordedAgreement = !alreadyConfirmed && request.agreement?.kind === 'recorded_by_lead' ? { at: request.agreement.agreedAt, how: request.agreement.how } : null
    const ok = await recordDecision(tx, organisationId, concernId, expectedVersion, {
      leadId: ctx.user.id,
      at: now,
      decision: request.decision,
      riskLevel: request.riskLevel,
      confirmedTypes: request.confirmedTypes,
      rationale: request.rationale,
      delayReason: request.delayReason,
      recordedAgreement,
    })
    if (!ok) return { kind: 'conflict' }

    const withinTarget = isWithinTarget(now, concern.due_at)
    const typesChanged = [...request.confirmedTypes].sort().join('|') !== [...concern.concern_types].sort().join('|')
    if (recordedAgreement) {
      await chronicle(tx, ctx, concernId, 'Second DSO agreed', `${ctx.user.displayName} (Lead DSO) recorded the Second DSO’s agreement: ${recordedAgreement.how}`, { occurredAt: recordedAgreement.at })
    }
    await chronicle(tx, ctx, concernId, typesChanged ? 'Types of concern changed' : 'Types of concern confirmed', `Types of concern: ${request.confirmedTypes.map(concernTypeLabel).join(', ')}.`)
    await chronicle(tx, ctx, concernId, 'Initial decision', `${DECISION_LABELS[request.decision]}; risk ${RISK_LABELS[request.riskLevel].toLowerCase()}. Recorded by ${ctx.user.displayName} (Lead DSO). ${withinTarget ? 'Addressed within target.' : `Addressed after the deadline. Reason: ${request.delayReason}`}`, { significant: true })
    await audit(tx, ctx, {
      action: 'concern.decide',
      recordType: 'concern',
      recordId: concernId,
      details: {
        fields: ['decision', 'risk_level', 'confirmed_types', 'decision_rationale', 'decided_by', 'addressed_at', 'status', ...(request.delayReason ? ['delay_reason'] : []), ...(recordedAgreement ? ['second_agreed_at', 'second_agreement_method', 'second_agreement_note'] : [])],
        within_target: withinTarget,
        types_changed: typesChanged,
      },
    })

    const lead = ctx.user.displayName
    const referrer = await findUser(tx, organisationId, concern.referrer_user_id)
    if (referrer?.active) {
      await notifyPerson(tx, organisationId, { id: referrer.id, email: referrer.email }, referrerUpdateMessage(concern.reference, lead, `${deps.config.publicUrl}${paths.myConcern(concernId)}`), { concernId, href: paths.myConcern(concernId), now })
    }
    const second = concern.second_dso_id ? await findUser(tx, organisationId, concern.second_dso_id) : undefined
    if (second?.active) {
      await notifyPerson(tx, organisationId, { id: second.id, email: second.email }, decisionRecordedMessage(concern.reference, `${deps.config.publicUrl}${paths.concern(concernId)}`), { concernId, href: paths.concern(concernId), now })
    }
    return { kind: 'done' }
  })
}
