import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { formErrors, singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { verifySignInCode } from '../../../services/mfa-sign-in.js'
import { pendingSignIn, SECOND_FACTOR_MESSAGES } from '../pending-sign-in.js'
import { startSignedInSession } from '../session-start.js'
import { CODE_REUSED, CODE_WRONG, totpCodeSchema } from './schema.js'

const VIEW = 'auth/sign-in-code/view.njk'

export function signInCodeController(deps: AppDeps) {
  return {
    show(req: Request, res: Response) {
      if (req.ctx.user) return res.redirect(303, paths.home())
      if (!pendingSignIn(req)) return res.redirect(303, paths.signIn())
      res.render(VIEW)
    },

    async submit(req: Request, res: Response) {
      const pending = pendingSignIn(req)
      if (!pending) {
        delete req.session.mfaPending
        req.session.flash = { kind: 'important', text: SECOND_FACTOR_MESSAGES.timedOut }
        return res.redirect(303, paths.signIn())
      }
      const parsed = totpCodeSchema.safeParse(req.body ?? {})
      if (!parsed.success) return res.status(400).render(VIEW, { errors: formErrors(parsed.error.issues) })
      const result = await verifySignInCode(deps, req.ctx, pending, parsed.data.code)
      if (!result.ok) {
        const message = result.reason === 'reused' ? CODE_REUSED : result.reason === 'wrong' ? CODE_WRONG : SECOND_FACTOR_MESSAGES[result.reason]
        return res.status(result.reason === 'throttled' ? 429 : 400).render(VIEW, { errors: singleError('code', message) })
      }
      res.redirect(303, await startSignedInSession(req, result.user, pending.returnTo))
    },
  }
}
