import type { AppDeps, SignedInContext } from '../context.js'
import { mayConfirmAgreement } from '../domain/triage-access.js'
import { paths } from '../paths.js'
import { findVisibleConcern } from '../repositories/concern-repository.js'
import { confirmSecondAgreement } from '../repositories/triage-repository.js'
import { findUser } from '../repositories/user-repository.js'
import { audit } from './audit.js'
import { chronicle } from './chronology.js'
import { agreementMessage } from './notification-messages.js'
import { notifyPerson } from './notifications.js'
import type { TriageOutcome } from './triage-outcome.js'

/** The Second DSO confirms in Kestrel that they agree the initial decision with the Lead. */
export async function confirmAgreement(deps: AppDeps, ctx: SignedInContext, concernId: string, expectedVersion: number, note: string | null): Promise<TriageOutcome> {
  const organisationId = ctx.user.organisationId
  const now = ctx.now()
  return deps.database.db.transaction().execute(async (tx): Promise<TriageOutcome> => {
    const concern = await findVisibleConcern(tx, organisationId, concernId, ctx.user.id)
    if (!concern) return { kind: 'not_found' }
    if (concern.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayConfirmAgreement(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    if (!(await confirmSecondAgreement(tx, organisationId, concernId, expectedVersion, ctx.user.id, now, note))) return { kind: 'conflict' }
    await chronicle(tx, ctx, concernId, 'Second DSO agreed', `${ctx.user.displayName} (Second DSO) confirmed agreement in Kestrel.${note ? ` Note: ${note}` : ''}`)
    await audit(tx, ctx, { action: 'concern.second-agree', recordType: 'concern', recordId: concernId, details: { fields: ['second_agreed_at', 'second_agreement_method', ...(note ? ['second_agreement_note'] : [])] } })
    const lead = concern.lead_dso_id ? await findUser(tx, organisationId, concern.lead_dso_id) : undefined
    if (lead?.active) await notifyPerson(tx, organisationId, { id: lead.id, email: lead.email }, agreementMessage(concern.reference, `${deps.config.publicUrl}${paths.concern(concernId)}`), { concernId, href: paths.concern(concernId), now })
    return { kind: 'done' }
  })
}
