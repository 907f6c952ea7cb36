import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { DECISIONS, isLate, RISK_LEVELS } from '../../../domain/decision-rules.js'
import { allowedTypeGroups, CONCERN_TYPE_CODES, concernTypeLabel, type AtRiskValue, type ConcernTypeCode } from '../../../domain/reference-lists.js'
import { mayRecordDecision } from '../../../domain/triage-access.js'
import { londonDate } from '../../../domain/working-days.js'
import { formErrors } from '../../../forms.js'
import { paths } from '../../../paths.js'
import type { ConcernDetail } from '../../../repositories/concern-repository.js'
import { userNames } from '../../../repositories/triage-repository.js'
import { signedIn } from '../../../routing.js'
import { recordInitialDecision } from '../../../services/initial-decision.js'
import { caseLocals, handleOutcome, loadCase, renderNotAllowed, versionFrom } from '../triage-page.js'
import { decisionFormValues, FIELD_ORDER, parseDecisionForm } from './schema.js'

function typeCodesFor(concern: ConcernDetail): ConcernTypeCode[] {
  const groups = allowedTypeGroups(concern.at_risk as AtRiskValue)
  return CONCERN_TYPE_CODES.filter((c) => groups.includes(c.split(':')[0] as 'adult' | 'child'))
}

function needsAgreement(concern: ConcernDetail): boolean {
  return !(concern.second_agreed_at && concern.second_agreement_method === 'confirmed_in_kestrel')
}

export function decisionController(deps: AppDeps) {
  async function render(req: Request, res: Response, status: number, concern: ConcernDetail, values: Record<string, unknown>, errors?: unknown) {
    const ctx = signedIn(req)
    const names = await userNames(deps.database.db, ctx.user.organisationId, [concern.second_dso_id])
    const selected = (values.confirmedTypes as string[] | undefined) ?? []
    res.status(status).render('concerns/decision/view.njk', {
      ...caseLocals(concern, ctx, 'summary'),
      typeItems: typeCodesFor(concern).map((code) => ({ value: code, text: concernTypeLabel(code), checked: selected.includes(code) })),
      riskItems: RISK_LEVELS.map((r) => ({ value: r.value, text: r.text, checked: values.riskLevel === r.value })),
      decisionItems: DECISIONS.map((d) => ({ value: d.value, text: d.text, hint: { text: d.hint }, checked: values.decision === d.value })),
      needsAgreement: needsAgreement(concern),
      secondName: concern.second_dso_id ? names.get(concern.second_dso_id) : undefined,
      late: isLate(ctx.now(), concern.due_at),
      values,
      errors,
    })
  }

  async function loadPermitted(req: Request, res: Response) {
    const ctx = signedIn(req)
    const concern = await loadCase(deps, ctx, req.params.id)
    const permission = mayRecordDecision(ctx.user, concern)
    if (!permission.allowed) {
      renderNotAllowed(res, req.method === 'GET' ? 200 : 409, concern, ctx, 'You cannot record the decision', permission.reason)
      return undefined
    }
    return concern
  }

  return {
    async show(req: Request, res: Response) {
      const concern = await loadPermitted(req, res)
      if (!concern) return
      await render(req, res, 200, concern, { confirmedTypes: concern.concern_types, version: String(concern.version) })
    },

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const concern = await loadPermitted(req, res)
      if (!concern) return
      const values = decisionFormValues(req.body)
      const parsed = parseDecisionForm(req.body, typeCodesFor(concern), needsAgreement(concern), londonDate(ctx.now()))
      if (!parsed.ok) return render(req, res, 400, concern, values, parsed.errors)
      const outcome = await recordInitialDecision(deps, ctx, concern.id, versionFrom(req.body), parsed.request)
      if (outcome.kind === 'done') {
        req.session.flash = { kind: 'success', text: `The initial decision for ${concern.reference} has been recorded. The referrer has been told it was dealt with.` }
        return res.redirect(303, parsed.request.decision === 'onward_referral' ? paths.concernNewReferral(concern.id) : paths.concern(concern.id))
      }
      if (handleOutcome(outcome, res, concern, ctx, 'You cannot record the decision', paths.concernDecision(concern.id))) {
        const sorted = [...outcome.problems].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field))
        const hrefs = { agreement: '#agreed-day', agreedAt: '#agreed-day' }
        return render(req, res, 400, concern, values, formErrors(sorted.map((p) => ({ path: [p.field], message: p.message })), hrefs))
      }
    },
  }
}
