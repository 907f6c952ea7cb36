import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { holdsMfaRole } from '../../../domain/mfa.js'
import { formErrors, singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { countUnusedRecoveryCodes, findMfa } from '../../../repositories/mfa-repository.js'
import { findSecuritySettings } from '../../../repositories/security-setting-repository.js'
import { signedIn } from '../../../routing.js'
import { regenerateRecoveryCodes } from '../../../services/mfa-enrolment.js'
import { SECOND_FACTOR_MESSAGES } from '../../auth/pending-sign-in.js'
import { CODE_REUSED, CODE_WRONG, totpCodeSchema } from '../../auth/sign-in-code/schema.js'

const VIEW = 'account/two-step/view.njk'

export function twoStepController(deps: AppDeps) {
  const db = deps.database.db

  async function render(req: Request, res: Response, status: number, errors?: unknown) {
    const ctx = signedIn(req)
    const mfa = await findMfa(db, ctx.user.organisationId, ctx.user.id)
    const enrolledAt = mfa?.enabled_at ?? null
    const recoveryCodesLeft = enrolledAt ? await countUnusedRecoveryCodes(db, ctx.user.organisationId, ctx.user.id) : 0
    const settings = await findSecuritySettings(db, ctx.user.organisationId)
    res.status(status).render(VIEW, { enrolledAt, recoveryCodesLeft, requiredForRole: settings.mfa_required && holdsMfaRole(ctx.user.roles), errors })
  }

  return {
    show: (req: Request, res: Response) => render(req, res, 200),

    async regenerate(req: Request, res: Response) {
      const ctx = signedIn(req)
      const parsed = totpCodeSchema.safeParse(req.body ?? {})
      if (!parsed.success) return render(req, res, 400, formErrors(parsed.error.issues))
      const result = await regenerateRecoveryCodes(deps, ctx, parsed.data.code)
      if (!result.ok) {
        if (result.reason === 'not_enrolled') return res.redirect(303, paths.accountMfaSetup())
        const message = result.reason === 'reused' ? CODE_REUSED : result.reason === 'wrong' ? CODE_WRONG : SECOND_FACTOR_MESSAGES.throttled
        return render(req, res, result.reason === 'throttled' ? 429 : 400, singleError('code', message))
      }
      res.render('account/two-step/recovery-codes.njk', { recoveryCodes: result.recoveryCodes, justEnrolled: false })
    },
  }
}
