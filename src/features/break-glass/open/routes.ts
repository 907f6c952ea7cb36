import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { BREAK_GLASS_MINUTES } from '../../../domain/case-record-rules.js'
import { exactText, fieldValue, formErrors, lineText } from '../../../forms.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { breakGlass } from '../../../services/restriction.js'
import { z } from 'zod'

const schema = z.object({
  reference: lineText({ label: 'The reference', max: 40, required: 'Enter the case reference' }),
  reason: exactText({ label: 'The reason', max: 2000, required: 'Enter why you need to open this case' }),
})

/**
 * Break glass: a safeguarding manager opens a restricted case they are not named on by giving
 * its reference and a reason. The Senior Lead Officer is alerted and the opening is audited.
 */
export function breakGlassRoutes(deps: AppDeps): RouteSpec[] {
  function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    res.status(status).render('break-glass/open/view.njk', { activeNav: 'cases', minutes: BREAK_GLASS_MINUTES, values, errors })
  }
  return [
    { method: 'get', path: paths.breakGlass(), action: 'case:break-glass', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.breakGlass(),
      action: 'case:break-glass',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const values = { reference: fieldValue(req.body, 'reference'), reason: fieldValue(req.body, 'reason') }
        const parsed = schema.safeParse(req.body ?? {})
        if (!parsed.success) return render(req, res, 400, values, formErrors(parsed.error.issues))
        const outcome = await breakGlass(deps, ctx, parsed.data.reference!.toUpperCase(), parsed.data.reason!)
        if (outcome.kind === 'opened' || outcome.kind === 'visible') {
          if (outcome.kind === 'opened') req.session.flash = { kind: 'important', text: `You have opened a restricted case for ${BREAK_GLASS_MINUTES} minutes. The Senior Lead Officer has been told.` }
          return res.redirect(303, paths.concern(outcome.concernId))
        }
        const message = outcome.kind === 'unknown_reference' ? 'There is no case with that reference' : outcome.reason
        render(req, res, 400, values, formErrors([{ path: ['reference'], message }]))
      },
    },
  ]
}
