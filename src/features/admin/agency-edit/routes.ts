import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { fieldValue, formErrors, singleError } from '../../../forms.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { agencyNameTaken, findAgency, updateAgency } from '../../../repositories/agency-repository.js'
import { lockReferenceData } from '../../../repositories/organisation-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { versionFrom } from '../../concerns/triage-page.js'
import { agencyNameSchema } from '../agencies/routes.js'

/** Rename an agency or mark it no longer used. */
export function agencyEditRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db
  async function load(req: Request) {
    const ctx = signedIn(req)
    const id = req.params.id
    const agency = isUuid(id) ? await findAgency(db, ctx.user.organisationId, id) : undefined
    if (!agency) throw new NotFound()
    return { ctx, agency }
  }
  function render(res: Response, status: number, agency: { id: string; name: string }, values: Record<string, string>, errors?: unknown) {
    res.status(status).render('admin/agency-edit/view.njk', { activeNav: 'reference', agency, values, errors })
  }
  return [
    {
      method: 'get',
      path: paths.adminAgency(':id'),
      action: 'admin:reference-data',
      handler: async (req, res) => {
        const { agency } = await load(req)
        render(res, 200, agency, { name: agency.name, active: agency.active ? 'yes' : 'no', version: String(agency.version) })
      },
    },
    {
      method: 'post',
      path: paths.adminAgency(':id'),
      action: 'admin:reference-data',
      handler: async (req, res) => {
        const { ctx, agency } = await load(req)
        const values = { name: fieldValue(req.body, 'name'), active: fieldValue(req.body, 'active'), version: fieldValue(req.body, 'version') }
        const parsed = agencyNameSchema.safeParse(req.body ?? {})
        if (!parsed.success) return render(res, 400, agency, values, formErrors(parsed.error.issues))
        if (values.active !== 'yes' && values.active !== 'no') return render(res, 400, agency, values, singleError('active', 'Select whether this agency is still in use', '#active'))
        const saved = await db.transaction().execute(async (tx) => {
          await lockReferenceData(tx, ctx.user.organisationId)
          if (await agencyNameTaken(tx, ctx.user.organisationId, parsed.data.name!, agency.id)) return 'name_taken'
          const ok = await updateAgency(tx, ctx.user.organisationId, agency.id, versionFrom(req.body), { name: parsed.data.name!, active: values.active === 'yes' })
          if (ok) await audit(tx, ctx, { action: 'reference.agency.update', recordType: 'agency', recordId: agency.id, details: { fields: ['name', 'active'] } })
          return ok
        })
        if (saved === 'name_taken') return render(res, 400, agency, values, singleError('name', 'There is already an agency with this name'))
        if (!saved) throw new ConcurrencyConflict(paths.adminAgency(agency.id))
        req.session.flash = { kind: 'success', text: `${parsed.data.name} has been updated.` }
        res.redirect(303, paths.adminAgencies())
      },
    },
  ]
}
