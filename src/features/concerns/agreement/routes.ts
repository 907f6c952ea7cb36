import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { exactText, formErrors } from '../../../forms.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { confirmAgreement } from '../../../services/second-agreement.js'
import { handleOutcome, loadCase, versionFrom } from '../triage-page.js'
import { renderSummary } from '../view/controller.js'

const noteSchema = exactText({ label: 'The note', max: 1000 })

/** The Second DSO confirms agreement from the case summary (the form sits in the Summary tab). */
export function agreementRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'post',
      path: paths.concernAgreement(':id'),
      action: 'concern:agree',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const concern = await loadCase(deps, ctx, req.params.id)
        const note = noteSchema.safeParse(req.body?.agreementNote)
        if (!note.success) {
          return renderSummary(deps, req, res, concern.id, 400, { agreementNote: String(req.body?.agreementNote ?? '') }, formErrors(note.error.issues.map((i) => ({ ...i, path: ['agreementNote'] }))))
        }
        const outcome = await confirmAgreement(deps, ctx, concern.id, versionFrom(req.body), note.data)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'Your agreement has been recorded. The Lead DSO has been told.' }
          return res.redirect(303, paths.concern(concern.id))
        }
        handleOutcome(outcome, res, concern, ctx, 'You cannot confirm agreement', paths.concern(concern.id))
      },
    },
  ]
}
