import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { formErrors, singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { useRecoveryCode } from '../../../services/mfa-sign-in.js'
import { pendingSignIn, SECOND_FACTOR_MESSAGES } from '../pending-sign-in.js'
import { startSignedInSession } from '../session-start.js'
import { RECOVERY_CODE_WRONG, recoveryCodeSchema } from './schema.js'

const VIEW = 'auth/sign-in-recovery-code/view.njk'

export function signInRecoveryCodeController(deps: AppDeps) {
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
      const parsed = recoveryCodeSchema.safeParse(req.body ?? {})
      if (!parsed.success) return res.status(400).render(VIEW, { errors: formErrors(parsed.error.issues) })
      const result = await useRecoveryCode(deps, req.ctx, pending, parsed.data.recoveryCode)
      if (!result.ok) {
        const message = result.reason === 'wrong' || result.reason === 'reused' ? RECOVERY_CODE_WRONG : SECOND_FACTOR_MESSAGES[result.reason]
        return res.status(result.reason === 'throttled' ? 429 : 400).render(VIEW, { errors: singleError('recoveryCode', message) })
      }
      const next = await startSignedInSession(req, result.user, pending.returnTo)
      const left = result.recoveryCodesLeft ?? 0
      req.session.flash = {
        kind: 'important',
        heading: 'You signed in with a recovery code',
        text: `That code cannot be used again. You have ${left} recovery code${left === 1 ? '' : 's'} left.${left <= 3 ? ' Get new recovery codes from Two-step verification, on your home page.' : ''}`,
      }
      res.redirect(303, next)
    },
  }
}
