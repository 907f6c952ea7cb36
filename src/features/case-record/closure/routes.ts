import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayDecideClosure } from '../../../domain/closure-rules.js'
import { CASE_OUTCOMES, MSP_ACHIEVED, MSP_ASKED, optionText, RISK_OUTCOMES } from '../../../domain/sac-lists.js'
import { exactText, fieldValue, formErrors } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { findPendingClosureRequest } from '../../../repositories/closure-repository.js'
import { userNames } from '../../../repositories/triage-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { decideClosure, isAdultCase, workersOf } from '../../../services/closure.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, problemsToErrors, versionFrom } from '../case-page.js'

const commentsSchema = exactText({ label: 'Your comments', max: 4000 })

/** The closure request as the Senior Lead Officer decides it (and as others may read it). */
export function closureRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const org = ctx.user.organisationId
    const { concern, data } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'reviews', form: 'closure' } }, async (tx, c) => {
      const request = await findPendingClosureRequest(tx, org, c.id)
      return { request, workers: await workersOf(tx, org, c), names: await userNames(tx, org, [request?.requested_by ?? null, c.lead_dso_id]) }
    })
    const decision = mayDecideClosure(ctx.user, concern, data.workers)
    res.status(status).render('case-record/closure/view.njk', {
      ...caseRecordLocals(concern, ctx, 'reviews'),
      request: data.request,
      requestedByName: data.request ? data.names.get(data.request.requested_by) : undefined,
      canDecide: decision.allowed,
      cannotDecideReason: ctx.user.roles.has('senior_lead_officer') && !decision.allowed ? decision.reason : undefined,
      outcomeRows: data.request && isAdultCase(concern)
        ? [
            { key: { text: 'Outcome of the enquiry' }, value: { text: optionText(CASE_OUTCOMES, data.request.sac_outcome) } },
            { key: { text: 'Risk outcome' }, value: { text: data.request.risk_outcome ? optionText(RISK_OUTCOMES, data.request.risk_outcome) : 'Not applicable' } },
            { key: { text: 'Asked what outcomes they wanted' }, value: { text: optionText(MSP_ASKED, data.request.msp_asked) } },
            { key: { text: 'Outcomes achieved' }, value: { text: data.request.msp_achieved ? optionText(MSP_ACHIEVED, data.request.msp_achieved) : 'Not applicable' } },
          ]
        : [],
      values: { version: String(concern.version), ...values },
      errors,
    })
  }

  return [
    { method: 'get', path: paths.concernClosure(':id'), action: 'closure:view', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernClosure(':id'),
      action: 'closure:decide',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const values = { decision: fieldValue(req.body, 'decision'), comments: fieldValue(req.body, 'comments'), version: fieldValue(req.body, 'version') }
        const comments = commentsSchema.safeParse((req.body as Record<string, unknown>)?.comments)
        if (!comments.success) return render(req, res, 400, values, formErrors(comments.error.issues.map((i) => ({ ...i, path: ['comments'] }))))
        const outcome = await decideClosure(deps, ctx, id, versionFrom(req.body), values.decision || undefined, comments.data)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: values.decision === 'approve' ? 'The case is closed.' : 'The closure request has been returned to the Lead DSO.' }
          return res.redirect(303, values.decision === 'approve' ? paths.concernReviews(id) : paths.closures())
        }
        const invalid = await answerFailure(deps, ctx, res, id, outcome, { tab: 'reviews', heading: 'You cannot decide this closure', returnTo: paths.concernClosure(id) })
        if (invalid) return render(req, res, 400, values, problemsToErrors(invalid.problems, { decision: '#decision' }))
      },
    },
  ]
}
