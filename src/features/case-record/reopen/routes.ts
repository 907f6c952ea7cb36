import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayReopen } from '../../../domain/case-record-rules.js'
import { exactText, fieldValue, formErrors } from '../../../forms.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { reopenCase } from '../../../services/closure.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, versionFrom } from '../case-page.js'

const reasonSchema = exactText({ label: 'The reason', max: 2000, required: 'Enter why the case is being reopened' })

/** A safeguarding manager reopens a closed case, giving a reason. */
export function reopenRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const { concern } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'reviews', form: 'reopen' } })
    const permission = mayReopen(ctx.user, concern)
    if (!permission.allowed) return res.status(req.method === 'GET' ? 200 : 409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, 'reviews'), heading: 'You cannot reopen this case', reason: permission.reason, returnTo: paths.concernReviews(concern.id) })
    res.status(status).render('case-record/reopen/view.njk', { ...caseRecordLocals(concern, ctx, 'reviews'), values: { version: String(concern.version), ...values }, errors })
  }
  return [
    { method: 'get', path: paths.concernReopen(':id'), action: 'case:reopen', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernReopen(':id'),
      action: 'case:reopen',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const values = { reason: fieldValue(req.body, 'reason'), version: fieldValue(req.body, 'version') }
        const reason = reasonSchema.safeParse((req.body as Record<string, unknown>)?.reason)
        if (!reason.success) return render(req, res, 400, values, formErrors(reason.error.issues.map((i) => ({ ...i, path: ['reason'] }))))
        const outcome = await reopenCase(deps, ctx, id, versionFrom(req.body), reason.data!)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The case has been reopened.' }
          return res.redirect(303, paths.concernReviews(id))
        }
        await answerFailure(deps, ctx, res, id, outcome, { tab: 'reviews', heading: 'You cannot reopen this case', returnTo: paths.concernReviews(id) })
      },
    },
  ]
}
