import type { Request, Response } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../../../context.js'
import { formErrors, lineText, singleError } from '../../../forms.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { lockReferenceData } from '../../../repositories/organisation-repository.js'
import { insertService, listServices, serviceNameTaken } from '../../../repositories/service-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

export const serviceNameSchema = z.object({ name: lineText({ label: 'Service name', max: 120, required: 'Enter the name of the service' }) })

export function servicesController(deps: AppDeps) {
  const db = deps.database.db
  async function render(req: Request, res: Response, status: number, values: unknown = {}, errors?: unknown) {
    const services = await listServices(db, signedIn(req).user.organisationId)
    res.status(status).render('admin/services/view.njk', { activeNav: 'reference', services, values, errors })
  }
  return {
    show: (req: Request, res: Response) => render(req, res, 200),
    async add(req: Request, res: Response) {
      const ctx = signedIn(req)
      const parsed = serviceNameSchema.safeParse(req.body ?? {})
      const values = { name: typeof req.body?.name === 'string' ? req.body.name : '' }
      if (!parsed.success) return render(req, res, 400, values, formErrors(parsed.error.issues))
      const name = parsed.data.name!
      const id = newId()
      const added = await db.transaction().execute(async (tx) => {
        await lockReferenceData(tx, ctx.user.organisationId)
        if (await serviceNameTaken(tx, ctx.user.organisationId, name)) return false
        const count = (await listServices(tx, ctx.user.organisationId)).length
        await insertService(tx, { organisationId: ctx.user.organisationId, id, name, sortOrder: count })
        await audit(tx, ctx, { action: 'reference.service.create', recordType: 'service', recordId: id })
        return true
      })
      if (!added) return render(req, res, 400, values, singleError('name', 'There is already a service with this name'))
      req.session.flash = { kind: 'success', text: `${name} has been added.` }
      res.redirect(303, paths.adminServices())
    },
  }
}
