import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { ageBands, parseAgeBandSettings } from '../../../domain/kpis/age-bands.js'
import { fieldValue, singleError } from '../../../forms.js'
import { ConcurrencyConflict } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { saveReportSettings } from '../../../repositories/report-settings-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { ageSettingsFor } from '../../../services/report-data.js'

/** The organisation's reporting settings: the age bands and the "N and over" total row. */
export function reportSettingsController(deps: AppDeps) {
  const db = deps.database.db
  async function render(req: Request, res: Response, status: number, values?: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const current = await ageSettingsFor(db, ctx.user.organisationId)
    res.status(status).render('reports/settings/view.njk', {
      activeNav: 'reports',
      bands: ageBands(current.starts),
      totalFrom: current.totalFrom,
      values: values ?? { starts: current.starts.join(', '), totalFrom: current.totalFrom === null ? '' : String(current.totalFrom), version: String(current.version) },
      errors,
    })
  }
  return {
    show: (req: Request, res: Response) => render(req, res, 200),

    async save(req: Request, res: Response) {
      const ctx = signedIn(req)
      const values = { starts: fieldValue(req.body, 'starts'), totalFrom: fieldValue(req.body, 'totalFrom'), version: fieldValue(req.body, 'version') }
      if (!/^\d{1,9}$/.test(values.version)) return render(req, res, 400, values, singleError('starts', 'The form is out of date: reload the page and try again'))
      const parsed = parseAgeBandSettings(values.starts, values.totalFrom)
      if (!parsed.ok) return render(req, res, 400, values, singleError(parsed.field, parsed.message))
      const saved = await db.transaction().execute(async (tx) => {
        const ok = await saveReportSettings(tx, ctx.user.organisationId, Number(values.version), { ageBandStarts: parsed.settings.starts, ageTotalFrom: parsed.settings.totalFrom, updatedBy: ctx.user.id, updatedAt: ctx.now() })
        if (ok) await audit(tx, ctx, { action: 'report.settings.update', details: { fields: ['age_band_starts', 'age_total_from'] } })
        return ok
      })
      if (!saved) throw new ConcurrencyConflict(paths.reportSettings())
      req.session.flash = { kind: 'success', text: 'The age bands have been saved. Reports use them from now on.' }
      res.redirect(303, paths.reportSettings())
    },
  }
}
