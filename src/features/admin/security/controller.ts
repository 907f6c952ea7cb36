import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { fieldValue, formErrors } from '../../../forms.js'
import { ConcurrencyConflict } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { mustEnrolMfa } from '../../../domain/mfa.js'
import { findMfa } from '../../../repositories/mfa-repository.js'
import { findSecuritySettings } from '../../../repositories/security-setting-repository.js'
import { signedIn } from '../../../routing.js'
import { saveSecuritySettings } from '../../../services/mfa-admin.js'
import { securitySettingsSchema } from './schema.js'

const VIEW = 'admin/security/view.njk'

export function securitySettingsController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const settings = await findSecuritySettings(deps.database.db, ctx.user.organisationId)
      res.render(VIEW, { activeNav: 'security', version: settings.version, values: { mfaRequired: settings.mfa_required ? 'yes' : 'no' } })
    },

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const parsed = securitySettingsSchema.safeParse(req.body ?? {})
      if (!parsed.success) {
        const settings = await findSecuritySettings(deps.database.db, ctx.user.organisationId)
        return res.status(400).render(VIEW, { activeNav: 'security', version: fieldValue(req.body, 'version') || settings.version, values: { mfaRequired: fieldValue(req.body, 'mfaRequired') }, errors: formErrors(parsed.error.issues) })
      }
      const result = await saveSecuritySettings(deps, ctx, parsed.data.version, parsed.data.mfaRequired === 'yes')
      if (result === 'conflict') throw new ConcurrencyConflict(paths.adminSecurity())
      req.session.flash = {
        kind: 'success',
        text: parsed.data.mfaRequired === 'yes' ? 'Two-step verification is now required. People with these roles will be asked to set it up on their next page.' : 'Two-step verification is no longer required. People who have set it up still use it.',
      }
      // An administrator who has just required it of themselves goes straight to setting it up
      // (the settings page would only redirect there, and the confirmation would be lost).
      const enrolled = Boolean((await findMfa(deps.database.db, ctx.user.organisationId, ctx.user.id))?.enabled_at)
      res.redirect(303, mustEnrolMfa(ctx.user.roles, parsed.data.mfaRequired === 'yes', enrolled) ? paths.accountMfaSetup() : paths.adminSecurity())
    },
  }
}
