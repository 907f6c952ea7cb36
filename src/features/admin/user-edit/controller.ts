import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { GRANTABLE_ROLES, ownRoleChangeError } from '../../../domain/roles.js'
import { formErrors, singleError } from '../../../forms.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listServices } from '../../../repositories/service-repository.js'
import { emailInUse, findUser } from '../../../repositories/user-repository.js'
import { signedIn } from '../../../routing.js'
import { resetPassword, setActive, updateUser } from '../../../services/users.js'
import { userFormValues, userSchema } from '../user-new/schema.js'

function versionFrom(body: unknown): number {
  const v = (body as Record<string, unknown> | undefined)?.version
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : -1
}

export function editUserController(deps: AppDeps) {
  const db = deps.database.db

  async function load(req: Request) {
    const ctx = signedIn(req)
    const id = req.params.id
    if (!isUuid(id)) throw new NotFound()
    const user = await findUser(db, ctx.user.organisationId, id)
    if (!user) throw new NotFound()
    return { ctx, user }
  }

  async function render(req: Request, res: Response, status: number, user: Awaited<ReturnType<typeof findUser>>, values: unknown, errors?: unknown) {
    const services = await listServices(db, signedIn(req).user.organisationId)
    res.status(status).render('admin/user-edit/view.njk', { activeNav: 'users', account: user, services, grantableRoles: GRANTABLE_ROLES, values, errors, isSelf: user?.id === req.ctx.user?.id })
  }

  return {
    async show(req: Request, res: Response) {
      const { user } = await load(req)
      await render(req, res, 200, user, { displayName: user.display_name, email: user.email, serviceId: user.service_id ?? '', roles: user.roles })
    },

    async submit(req: Request, res: Response) {
      const { ctx, user } = await load(req)
      const services = await listServices(db, ctx.user.organisationId)
      const parsed = userSchema(services.map((s) => s.id)).safeParse(req.body ?? {})
      const values = userFormValues(req.body)
      if (!parsed.success) return render(req, res, 400, user, values, formErrors(parsed.error.issues))
      if (await emailInUse(db, parsed.data.email!, user.id)) return render(req, res, 400, user, values, singleError('email', 'There is already an account with this email address'))
      const ownRolesError = user.id === ctx.user.id ? ownRoleChangeError(user.roles, parsed.data.roles) : undefined
      if (ownRolesError) return render(req, res, 400, user, values, singleError('roles', ownRolesError))
      const result = await updateUser(deps, ctx, user.id, versionFrom(req.body), { ...parsed.data, displayName: parsed.data.displayName!, email: parsed.data.email! })
      if (result === 'not_found') throw new NotFound()
      if (result === 'conflict') throw new ConcurrencyConflict(paths.adminUser(user.id))
      req.session.flash = { kind: 'success', text: `${parsed.data.displayName}’s account has been updated.` }
      res.redirect(303, paths.adminUser(user.id))
    },

    async active(req: Request, res: Response) {
      const { ctx, user } = await load(req)
      const active = (req.body as Record<string, unknown>)?.active === 'true'
      if (user.id === ctx.user.id && !active) {
        return render(req, res, 400, user, { displayName: user.display_name, email: user.email, serviceId: user.service_id ?? '', roles: user.roles }, singleError('active', 'You cannot deactivate your own account'))
      }
      const result = await setActive(deps, ctx, user.id, versionFrom(req.body), active)
      if (result === 'not_found') throw new NotFound()
      if (result === 'conflict') throw new ConcurrencyConflict(paths.adminUser(user.id))
      req.session.flash = { kind: 'success', text: active ? `${user.display_name} can sign in again.` : `${user.display_name} has been deactivated and signed out everywhere.` }
      res.redirect(303, paths.adminUser(user.id))
    },

    async password(req: Request, res: Response) {
      const { ctx, user } = await load(req)
      const temporaryPassword = await resetPassword(deps, ctx, user.id)
      if (!temporaryPassword) throw new NotFound()
      res.render('admin/user-new/created.njk', { activeNav: 'users', userId: user.id, displayName: user.display_name, email: user.email, temporaryPassword })
    },
  }
}
