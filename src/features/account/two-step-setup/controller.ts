import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { formErrors, singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { signedIn } from '../../../routing.js'
import { beginEnrolment, confirmEnrolment } from '../../../services/mfa-enrolment.js'
import { groupSecret, qrCodeDataUri, totpUri } from '../../../services/totp.js'
import { SECOND_FACTOR_MESSAGES } from '../../auth/pending-sign-in.js'
import { CODE_REUSED, CODE_WRONG, totpCodeSchema } from '../../auth/sign-in-code/schema.js'

const VIEW = 'account/two-step-setup/view.njk'

export function twoStepSetupController(deps: AppDeps) {
  /** The set-up page: the QR code, and the same key as text for anyone who cannot scan it. */
  async function render(req: Request, res: Response, status: number, errors?: unknown) {
    const ctx = signedIn(req)
    const begun = await beginEnrolment(deps, ctx)
    if (begun.status === 'enrolled') return res.redirect(303, paths.accountMfa())
    const uri = totpUri(`Kestrel (${ctx.user.organisationName})`, ctx.user.email, begun.secret)
    res.status(status).render(VIEW, { qrCode: await qrCodeDataUri(uri), secret: groupSecret(begun.secret), required: ctx.user.mfaSetupRequired, errors })
  }

  return {
    show: (req: Request, res: Response) => render(req, res, 200),

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const parsed = totpCodeSchema.safeParse(req.body ?? {})
      if (!parsed.success) return render(req, res, 400, formErrors(parsed.error.issues))
      const result = await confirmEnrolment(deps, ctx, parsed.data.code, req.sessionID)
      if (!result.ok) {
        if (result.reason === 'enrolled' || result.reason === 'not_started') return res.redirect(303, paths.accountMfa())
        const message = result.reason === 'reused' ? CODE_REUSED : result.reason === 'wrong' ? CODE_WRONG : SECOND_FACTOR_MESSAGES.throttled
        return render(req, res, result.reason === 'throttled' ? 429 : 400, singleError('code', message))
      }
      // Shown once, in this response only (never stored in the session or anywhere else in clear).
      res.render('account/two-step/recovery-codes.njk', { recoveryCodes: result.recoveryCodes, justEnrolled: true })
    },
  }
}
