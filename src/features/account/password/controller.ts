import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { formErrors, singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { deleteUserSessions } from '../../../repositories/session-repository.js'
import { findUser, setPassword } from '../../../repositories/user-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { hashPassword, verifyPassword } from '../../../services/passwords.js'
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

      const db = deps.database.db
      const user = await findUser(db, ctx.user.organisationId, ctx.user.id)
      if (!user || !(await verifyPassword(user.password_hash, parsed.data.currentPassword))) {
        return render(400, singleError('currentPassword', 'Your current password is not correct'))
      }
      const newHash = await hashPassword(parsed.data.newPassword)
      await db.transaction().execute(async (tx) => {
        await setPassword(tx, ctx.user.organisationId, ctx.user.id, newHash, false)
        // Any other session (another browser, a stolen cookie) ends with the old password.
        await deleteUserSessions(tx, ctx.user.organisationId, ctx.user.id, req.sessionID)
        await audit(tx, ctx, { action: 'auth.password-change', recordType: 'user', recordId: ctx.user.id })
      })
      req.session.flash = { kind: 'success', text: 'Your password has been changed.' }
      res.redirect(303, paths.home())
    },
  }
}
