import type { Request, Response } from 'express'
import type { AppDeps, SignedInContext } from '../../../context.js'
import { checkRetentionSettings, type RetentionRules, type RetentionSettingsInput } from '../../../domain/retention.js'
import { fieldValue } from '../../../forms.js'
import { ConcurrencyConflict } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { retentionSettings, saveRetentionSettings, type RetentionSettings } from '../../../repositories/retention-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { problemsToErrors, versionFrom } from '../../case-record/case-page.js'

const VIEW = 'admin/retention/view.njk'

type Values = RetentionSettingsInput & { version: string }

function valuesOf(settings: RetentionSettings): Values {
  return {
    adultYearsAfterClosure: String(settings.rules.adultYearsAfterClosure),
    childUntilAge: String(settings.rules.childUntilAge),
    childYearsAfterClosure: String(settings.rules.childYearsAfterClosure),
    paused: settings.paused ? 'yes' : 'no',
    pausedReason: settings.pausedReason ?? '',
    version: String(settings.version),
  }
}

/** The columns a save changed, for the audit row (which records no values but the pause). */
function changedFields(before: RetentionSettings, after: { rules: RetentionRules; paused: boolean; pausedReason: string | null }): string[] {
  const fields: string[] = []
  if (before.rules.adultYearsAfterClosure !== after.rules.adultYearsAfterClosure) fields.push('adult_years_after_closure')
  if (before.rules.childUntilAge !== after.rules.childUntilAge) fields.push('child_until_age')
  if (before.rules.childYearsAfterClosure !== after.rules.childYearsAfterClosure) fields.push('child_years_after_closure')
  if (before.paused !== after.paused) fields.push('disposal_paused')
  if ((before.pausedReason ?? null) !== after.pausedReason) fields.push('paused_reason')
  return fields
}

/** Saves the settings and audits the change in one transaction; false when someone saved them since `version`. */
async function save(deps: AppDeps, ctx: SignedInContext, version: number, values: { rules: RetentionRules; paused: boolean; pausedReason: string | null }): Promise<boolean> {
  const organisationId = ctx.user.organisationId
  return deps.database.db.transaction().execute(async (tx) => {
    const before = await retentionSettings(tx, organisationId)
    if (!(await saveRetentionSettings(tx, organisationId, version, { ...values, by: ctx.user.id, at: ctx.now() }))) return false
    await audit(tx, ctx, { action: 'retention.settings', recordType: 'organisation', recordId: organisationId, details: { fields: changedFields(before, values), paused: values.paused } })
    return true
  })
}

/** How long closed cases are kept, and whether disposal is paused (for example for a public inquiry). */
export function retentionSettingsController(deps: AppDeps) {
  function render(res: Response, status: number, values: Values, errors?: unknown) {
    res.status(status).render(VIEW, { activeNav: 'retention-settings', values, errors })
  }
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      render(res, 200, valuesOf(await retentionSettings(deps.database.db, ctx.user.organisationId)))
    },

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const values: Values = {
        adultYearsAfterClosure: fieldValue(req.body, 'adultYearsAfterClosure'),
        childUntilAge: fieldValue(req.body, 'childUntilAge'),
        childYearsAfterClosure: fieldValue(req.body, 'childYearsAfterClosure'),
        paused: fieldValue(req.body, 'paused'),
        pausedReason: fieldValue(req.body, 'pausedReason').replace(/\r\n?/g, '\n'),
        version: fieldValue(req.body, 'version'),
      }
      const checked = checkRetentionSettings(values)
      if (checked.kind === 'invalid') return render(res, 400, values, problemsToErrors(checked.problems))
      const saved = await save(deps, ctx, versionFrom(req.body), { rules: checked.rules, paused: checked.paused, pausedReason: checked.pausedReason })
      if (!saved) throw new ConcurrencyConflict(paths.adminRetention())
      req.session.flash = {
        kind: 'success',
        text: checked.paused ? 'Retention settings saved. Disposal is paused: no case can be disposed of until it is restarted here.' : 'Retention settings saved.',
      }
      res.redirect(303, paths.adminRetention())
    },
  }
}
