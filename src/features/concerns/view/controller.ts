import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { STATUS_LABELS } from '../../../domain/concern-status.js'
import { DECISION_LABELS, RISK_LABELS } from '../../../domain/decision-rules.js'
import { mayViewConcern } from '../../../domain/policy.js'
import { isLeadDso, isSecondDso, mayAllocate, mayConfirmAgreement, mayRecordDecision } from '../../../domain/triage-access.js'
import { describeTimeLeft, isWithinTarget, londonDate, timeLeft } from '../../../domain/working-days.js'
import { NotFound, RecordDisposed } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { findVisibleConcern } from '../../../repositories/concern-repository.js'
import { isOnDuty } from '../../../repositories/rota-repository.js'
import { listAllocationHistory, userNames } from '../../../repositories/triage-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { calendarAround } from '../../../services/concern-clock.js'
import { answerRows } from '../check/answer-rows.js'
import { caseTabs } from '../case-tabs.js'
import { concernTypeLabel } from '../../../domain/reference-lists.js'
import { formatDateTime } from '../../../views.js'

const escapeHtml = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const exactHtml = (text: string | null) => `<span class="kestrel-exact-text">${escapeHtml(text ?? '')}</span>`

/**
 * The Summary tab: status and clock, the allocation (with its history), the Second DSO's
 * agreement, the initial decision, and what the referrer told us — with the actions this person
 * may take now (allocate, agree, decide).
 */
export async function renderSummary(deps: AppDeps, req: Request, res: Response, id: unknown, status = 200, values: Record<string, string> = {}, errors?: unknown) {
  const ctx = signedIn(req)
  if (!isUuid(id)) throw new NotFound()
  const now = ctx.now()
  const found = await deps.database.db.transaction().execute(async (tx) => {
    // ctx.now(): a manager's break-glass opening of a restricted case (issue 4) counts while in force.
    const concern = await findVisibleConcern(tx, ctx.user.organisationId, id, ctx.user.id, ctx.now())
    if (!concern || !mayViewConcern(ctx.user, concern)) return undefined
    const calendar = await calendarAround(tx, ctx.user.organisationId, concern.due_at < now ? concern.due_at : now, now)
    const names = await userNames(tx, ctx.user.organisationId, [concern.lead_dso_id, concern.second_dso_id, concern.allocated_by, concern.decided_by])
    const history = concern.allocated_at ? await listAllocationHistory(tx, ctx.user.organisationId, concern.id) : []
    const onDuty = await isOnDuty(tx, ctx.user.organisationId, londonDate(now), ctx.user.id)
    await audit(tx, ctx, { action: 'concern.view', recordType: 'concern', recordId: concern.id })
    return { concern, calendar, names, history, onDuty }
  })
  if (!found) throw new NotFound()
  if (found.concern.disposed_at) throw new RecordDisposed(found.concern.reference, found.concern.disposed_at)
  const { concern, calendar, names, history, onDuty } = found
  const clock = concern.addressed_at ? undefined : timeLeft(now, concern.due_at, calendar)
  const name = (userId: string | null) => (userId ? names.get(userId) : undefined)
  res.status(status).render('concerns/view/view.njk', {
    activeNav: 'queue',
    concern,
    statusLabel: STATUS_LABELS[concern.status],
    clock,
    clockText: clock ? describeTimeLeft(clock) : undefined,
    withinTarget: concern.addressed_at ? isWithinTarget(concern.addressed_at, concern.due_at) : undefined,
    leadName: name(concern.lead_dso_id),
    secondName: name(concern.second_dso_id),
    allocatedByName: name(concern.allocated_by),
    decidedByName: name(concern.decided_by),
    decisionRows: concern.decision
      ? [
          { key: { text: 'Decision' }, value: { text: DECISION_LABELS[concern.decision] } },
          { key: { text: 'Risk level' }, value: { text: concern.risk_level ? RISK_LABELS[concern.risk_level] : '' } },
          { key: { text: 'Types of concern' }, value: { text: (concern.confirmed_types ?? []).map(concernTypeLabel).join(', ') } },
          { key: { text: 'Rationale' }, value: { html: exactHtml(concern.decision_rationale) } },
          ...(concern.delay_reason ? [{ key: { text: 'Reason for the delay' }, value: { html: exactHtml(concern.delay_reason) } }] : []),
          { key: { text: 'Recorded' }, value: { text: `${formatDateTime(concern.addressed_at)} by ${name(concern.decided_by) ?? ''}` } },
        ]
      : [],
    history: history.length > 1 ? history : [],
    isLead: isLeadDso(ctx.user, concern),
    isSecond: isSecondDso(ctx.user, concern),
    canAllocate: ctx.user.roles.has('dso') || ctx.user.roles.has('safeguarding_manager') ? mayAllocate(ctx.user, concern, onDuty).allowed : false,
    canDecide: mayRecordDecision(ctx.user, concern).allowed,
    canAgree: mayConfirmAgreement(ctx.user, concern).allowed,
    rows: answerRows(concern, concern.referrer_service_name, undefined, { referrerView: false }),
    tabs: caseTabs(concern.id, 'summary', ctx.user.roles),
    values,
    errors,
  })
}

export function concernController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      await renderSummary(deps, req, res, req.params.id)
    },
  }
}
