import type { Request, Response } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../../../context.js'
import { formErrors, lineText, singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { agencyNameTaken, insertAgency, listAgencies } from '../../../repositories/agency-repository.js'
import { lockReferenceData } from '../../../repositories/organisation-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

export const agencyNameSchema = z.object({ name: lineText({ label: 'Agency name', max: 120, required: 'Enter the name of the agency' }) })

/** The onward agencies DSOs refer to (domain.md "Onward agencies"), editable by an administrator. */
export function agenciesRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db
  async function render(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors?: unknown) {
    const agencies = await listAgencies(db, signedIn(req).user.organisationId)
    res.status(status).render('admin/agencies/view.njk', { activeNav: 'reference', referenceTab: 'agencies', agencies, values, errors })
  }
  return [
    { method: 'get', path: paths.adminAgencies(), action: 'admin:reference-data', handler: (req, res) => render(req, res, 200) },
    {
      method: 'post',
      path: paths.adminAgencies(),
      action: 'admin:reference-data',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const values = { name: typeof req.body?.name === 'string' ? req.body.name : '' }
        const parsed = agencyNameSchema.safeParse(req.body ?? {})
        if (!parsed.success) return render(req, res, 400, values, formErrors(parsed.error.issues))
        const name = parsed.data.name!
        const added = await db.transaction().execute(async (tx) => {
          await lockReferenceData(tx, ctx.user.organisationId)
          if (await agencyNameTaken(tx, ctx.user.organisationId, name)) return false
          const id = await insertAgency(tx, ctx.user.organisationId, name)
          await audit(tx, ctx, { action: 'reference.agency.create', recordType: 'agency', recordId: id })
          return true
        })
        if (!added) return render(req, res, 400, values, singleError('name', 'There is already an agency with this name'))
        req.session.flash = { kind: 'success', text: `${name} has been added.` }
        res.redirect(303, paths.adminAgencies())
      },
    },
  ]
}
