import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { formErrors, singleError } from '../../../forms.js'
import { safeReturnTo } from '../../../middleware/current-user.js'
import { paths } from '../../../paths.js'
import { signedIn } from '../../../routing.js'
import { changeOwnPassword } from '../../../services/password-change.js'
import { isTooEasyToGuess, TOO_EASY_TO_GUESS } from '../../../domain/password-strength.js'
import { changePasswordSchema } from './schema.js'

export function changePasswordController(deps: AppDeps) {
  return {
    show(req: Request, res: Response) {
      res.render('account/password/view.njk', { mustChange: req.ctx.user?.mustChangePassword })
    },

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const render = (status: number, errors: unknown) => res.status(status).render('account/password/view.njk', { errors, mustChange: ctx.user.mustChangePassword })
      const parsed = changePasswordSchema.safeParse(req.body ?? {})
      if (!parsed.success) return render(400, formErrors(parsed.error.issues))
      if (isTooEasyToGuess(parsed.data.newPassword, [ctx.user.email, ctx.user.displayName, ctx.user.organisationName])) return render(400, singleError('newPassword', TOO_EASY_TO_GUESS))

      const outcome = await changeOwnPassword(deps, ctx, req.sessionID, parsed.data.currentPassword, parsed.data.newPassword)
      if (outcome === 'wrong_password') return render(400, singleError('currentPassword', 'Your current password is not correct'))
      if (outcome === 'throttled') {
        return render(429, singleError('currentPassword', 'You have entered your current password wrongly too many times. Wait 15 minutes and try again.'))
      }
      req.session.flash = { kind: 'success', text: 'Your password has been changed.' }
      // After a temporary password, on to the page they were going to when they signed in.
      const next = ctx.user.mustChangePassword ? safeReturnTo(req.session.returnTo) : paths.home()
      delete req.session.returnTo
      res.redirect(303, next)
    },
  }
}
