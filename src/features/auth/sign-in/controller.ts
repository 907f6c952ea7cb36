import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { formErrors, singleError, fieldValue } from '../../../forms.js'
import { safeReturnTo } from '../../../middleware/current-user.js'
import { paths } from '../../../paths.js'
import { findMfa } from '../../../repositories/mfa-repository.js'
import { signIn } from '../../../services/sign-in.js'
import { startSecondFactor, startSignedInSession } from '../session-start.js'
import { SIGN_IN_FAILED, SIGN_IN_THROTTLED, signInSchema } from './schema.js'

const SIGNED_OUT_MESSAGES = {
  idle: 'You were signed out because you had not done anything for a while. Sign in again to continue.',
  absolute: 'You were signed out because your session reached its time limit. Sign in again to continue.',
  deactivated: 'You have been signed out.',
} as const

export function signInController(deps: AppDeps) {
  return {
    show(req: Request, res: Response) {
      if (req.ctx.user) return res.redirect(303, paths.home())
      const reason = req.session.signedOutReason
      delete req.session.signedOutReason
      res.render('auth/sign-in/view.njk', { notice: reason ? SIGNED_OUT_MESSAGES[reason] : undefined, values: {} })
    },

    async submit(req: Request, res: Response) {
      const parsed = signInSchema.safeParse(req.body ?? {})
      const values = { email: fieldValue(req.body, 'email') }
      if (!parsed.success) {
        return res.status(400).render('auth/sign-in/view.njk', { errors: formErrors(parsed.error.issues), values })
      }
      const result = await signIn(deps, req.ctx, parsed.data.email, parsed.data.password)
      if (!result.ok) {
        const message = result.reason === 'throttled' ? SIGN_IN_THROTTLED : SIGN_IN_FAILED
        return res.status(result.reason === 'throttled' ? 429 : 400).render('auth/sign-in/view.njk', { errors: singleError('email', message), values })
      }
      const returnTo = safeReturnTo(req.session.returnTo)
      // Someone with an authenticator is not signed in until they give its code (a separate step).
      const mfa = await findMfa(deps.database.db, result.user.organisation_id, result.user.id)
      if (mfa?.enabled_at) {
        await startSecondFactor(req, result.user, returnTo)
        return res.redirect(303, paths.signInCode())
      }
      res.redirect(303, await startSignedInSession(req, result.user, returnTo))
    },
  }
}
