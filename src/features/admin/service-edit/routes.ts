import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { formErrors, singleError } from '../../../forms.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { lockReferenceData } from '../../../repositories/organisation-repository.js'
import { findService, serviceNameTaken, updateService } from '../../../repositories/service-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { serviceNameSchema } from '../services/controller.js'

/** Rename a service or stop offering it. Services are never deleted: past concerns still name them. */
export function serviceEditRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db
  async function load(req: Request) {
    const ctx = signedIn(req)
    const id = req.params.id
    if (!isUuid(id)) throw new NotFound()
    const service = await findService(db, ctx.user.organisationId, id)
    if (!service) throw new NotFound()
    return { ctx, service }
  }
  return [
    {
      method: 'get',
      path: paths.adminService(':id'),
      action: 'admin:reference-data',
      handler: async (req: Request, res: Response) => {
        const { service } = await load(req)
        res.render('admin/service-edit/view.njk', { activeNav: 'reference', service, values: { name: service.name, active: service.active ? 'yes' : 'no' } })
      },
    },
    {
      method: 'post',
      path: paths.adminService(':id'),
      action: 'admin:reference-data',
      handler: async (req: Request, res: Response) => {
        const { ctx, service } = await load(req)
        const parsed = serviceNameSchema.safeParse(req.body ?? {})
        const activeRaw = req.body?.active
        const values = { name: typeof req.body?.name === 'string' ? req.body.name : '', active: activeRaw }
        const render = (errors: unknown) => res.status(400).render('admin/service-edit/view.njk', { activeNav: 'reference', service, values, errors })
        if (!parsed.success) return render(formErrors(parsed.error.issues))
        if (activeRaw !== 'yes' && activeRaw !== 'no') return render(singleError('active', 'Select whether the service is still in use', '#active'))
        const name = parsed.data.name!
        const saved = await db.transaction().execute(async (tx) => {
          await lockReferenceData(tx, ctx.user.organisationId)
          if (await serviceNameTaken(tx, ctx.user.organisationId, name, service.id)) return false
          await updateService(tx, ctx.user.organisationId, service.id, { name, active: activeRaw === 'yes' })
          await audit(tx, ctx, { action: 'reference.service.update', recordType: 'service', recordId: service.id, details: { active: activeRaw === 'yes', renamed: name !== service.name } })
          return true
        })
        if (!saved) return render(singleError('name', 'There is already a service with this name'))
        req.session.flash = { kind: 'success', text: `${name} has been saved.` }
        res.redirect(303, paths.adminServices())
      },
    },
  ]
}
