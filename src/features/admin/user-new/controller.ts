import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { GRANTABLE_ROLES } from '../../../domain/roles.js'
import { formErrors, singleError } from '../../../forms.js'
import { emailInUse } from '../../../repositories/user-repository.js'
import { listServices } from '../../../repositories/service-repository.js'
import { signedIn } from '../../../routing.js'
import { createUser } from '../../../services/users.js'
import { userFormValues, userSchema } from './schema.js'

export function newUserController(deps: AppDeps) {
  const db = deps.database.db
  async function render(req: Request, res: Response, status: number, values: unknown, errors?: unknown) {
    const services = await listServices(db, signedIn(req).user.organisationId)
    res.status(status).render('admin/user-new/view.njk', { activeNav: 'users', services, grantableRoles: GRANTABLE_ROLES, values, errors })
  }
  return {
    show: (req: Request, res: Response) => render(req, res, 200, { roles: [] }),
    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const services = await listServices(db, ctx.user.organisationId)
      const parsed = userSchema(services.map((s) => s.id)).safeParse(req.body ?? {})
      const values = userFormValues(req.body)
      if (!parsed.success) return render(req, res, 400, values, formErrors(parsed.error.issues))
      if (await emailInUse(db, parsed.data.email!)) return render(req, res, 400, values, singleError('email', 'There is already an account with this email address'))
      const { id, temporaryPassword } = await createUser(deps, ctx, { ...parsed.data, displayName: parsed.data.displayName!, email: parsed.data.email! })
      // Shown once, in this response only: it is never stored in clear.
      res.render('admin/user-new/created.njk', { activeNav: 'users', userId: id, displayName: parsed.data.displayName, email: parsed.data.email, temporaryPassword })
    },
  }
}
