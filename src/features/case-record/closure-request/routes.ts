import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { closureReadinessProblems, mayRequestClosure, type ClosureAnswers } from '../../../domain/closure-rules.js'
import { CASE_OUTCOMES, MSP_ACHIEVED, MSP_ASKED, RISK_OUTCOMES } from '../../../domain/sac-lists.js'
import { fieldValue, formErrors } from '../../../forms.js'
import { exactText } from '../../../forms.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { closureState, isAdultCase, requestClosure } from '../../../services/closure.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, problemsToErrors, submissionKeyFrom, versionFrom } from '../case-page.js'

export const SUMMARY_MAX = 10_000
const summarySchema = exactText({ label: 'The closing summary', max: SUMMARY_MAX })
const FIELDS = ['closingSummary', 'sacOutcome', 'riskOutcome', 'mspAsked', 'mspAchieved', 'version', 'submissionKey'] as const

const radio = (options: readonly { value: string; text: string }[], chosen: string | undefined) => options.map((o) => ({ value: o.value, text: o.text, checked: chosen === o.value }))

/**
 * The Lead DSO asks the Senior Lead Officer to close the case: a closing summary and, for an
 * adult, the Safeguarding Adults Collection outcome, the risk outcome and the Making
 * Safeguarding Personal answers. Refused (nothing saved) until the Final Review has agreed it.
 */
export function closureRequestRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const { concern, data: state } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'reviews', form: 'closure-request' } }, (tx, c) => closureState(tx, ctx.user.organisationId, c))
    const permission = mayRequestClosure(ctx.user, { status: concern.status, leadDsoId: concern.lead_dso_id })
    if (!permission.allowed) return res.status(req.method === 'GET' ? 200 : 409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, 'reviews'), heading: 'You cannot request closure', reason: permission.reason, returnTo: paths.concernReviews(concern.id) })
    const v: Record<string, string> = { version: String(concern.version), submissionKey: newId(), closingSummary: concern.closing_summary ?? '', ...values }
    res.status(status).render('case-record/closure-request/view.njk', {
      ...caseRecordLocals(concern, ctx, 'reviews'),
      adult: isAdultCase(concern),
      notReady: closureReadinessProblems(state),
      summaryMax: SUMMARY_MAX,
      sacItems: radio(CASE_OUTCOMES, v.sacOutcome),
      riskItems: radio(RISK_OUTCOMES, v.riskOutcome),
      askedItems: radio(MSP_ASKED, v.mspAsked),
      achievedItems: radio(MSP_ACHIEVED, v.mspAchieved),
      values: v,
      errors,
    })
  }

  return [
    { method: 'get', path: paths.concernClosureRequest(':id'), action: 'closure:request', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernClosureRequest(':id'),
      action: 'closure:request',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const values = Object.fromEntries(FIELDS.map((k) => [k, fieldValue(req.body, k)]))
        const summary = summarySchema.safeParse((req.body as Record<string, unknown>)?.closingSummary)
        if (!summary.success) return render(req, res, 400, values, formErrors(summary.error.issues.map((i) => ({ ...i, path: ['closingSummary'] }))))
        const pick = (k: string) => fieldValue(req.body, k) || null
        const answers: ClosureAnswers = { closingSummary: summary.data, sacOutcome: pick('sacOutcome'), riskOutcome: pick('riskOutcome'), mspAsked: pick('mspAsked'), mspAchieved: pick('mspAchieved') }
        const outcome = await requestClosure(deps, ctx, id, versionFrom(req.body), answers, submissionKeyFrom(req.body, newId))
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'Closure has been requested. The Senior Lead Officer will approve it or return it to you.' }
          return res.redirect(303, paths.concernReviews(id))
        }
        const invalid = await answerFailure(deps, ctx, res, id, outcome, { tab: 'reviews', heading: 'You cannot request closure', returnTo: paths.concernClosureRequest(id) })
        if (invalid) return render(req, res, 400, values, problemsToErrors(invalid.problems, { form: '#closure-readiness', sacOutcome: '#sacOutcome', riskOutcome: '#riskOutcome', mspAsked: '#mspAsked', mspAchieved: '#mspAchieved' }))
      },
    },
  ]
}
