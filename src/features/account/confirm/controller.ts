import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { FRESH_SIGN_IN_MS } from '../../../domain/fresh-sign-in.js'
import { formErrors, singleError } from '../../../forms.js'
import { safeReturnTo } from '../../../middleware/current-user.js'
import { signedIn } from '../../../routing.js'
import { confirmationNeedsCode, confirmIdentity } from '../../../services/confirm-identity.js'
import { SECOND_FACTOR_MESSAGES } from '../../auth/pending-sign-in.js'
import { CODE_REUSED, CODE_WRONG } from '../../auth/sign-in-code/schema.js'
import { confirmSchema } from './schema.js'

const VIEW = 'account/confirm/view.njk'
const MINUTES = FRESH_SIGN_IN_MS / 60_000

export function confirmSignInController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      res.render(VIEW, { needsCode: await confirmationNeedsCode(deps, ctx), minutes: MINUTES })
    },

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const needsCode = await confirmationNeedsCode(deps, ctx)
      const render = (status: number, errors: unknown) => res.status(status).render(VIEW, { errors, needsCode, minutes: MINUTES })
      const parsed = confirmSchema(needsCode).safeParse(req.body ?? {})
      if (!parsed.success) return render(400, formErrors(parsed.error.issues))

      const result = await confirmIdentity(deps, ctx, parsed.data.password, parsed.data.code)
      if (!result.ok) {
        if (result.field === 'password') {
          return result.reason === 'throttled'
            ? render(429, singleError('password', 'You have entered your password wrongly too many times. Wait 15 minutes and try again.'))
            : render(400, singleError('password', 'Your password is not correct'))
        }
        const message = result.reason === 'reused' ? CODE_REUSED : result.reason === 'wrong' ? CODE_WRONG : SECOND_FACTOR_MESSAGES[result.reason]
        return render(result.reason === 'throttled' ? 429 : 400, singleError('code', message))
      }
      req.session.confirmedAt = ctx.now().getTime()
      const next = safeReturnTo(req.session.confirmReturnTo)
      delete req.session.confirmReturnTo
      res.redirect(303, next)
    },
  }
}
