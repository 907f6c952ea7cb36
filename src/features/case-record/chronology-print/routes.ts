import type { AppDeps } from '../../../context.js'
import { STATUS_LABELS } from '../../../domain/concern-status.js'
import { paths } from '../../../paths.js'
import { listChronology } from '../../../repositories/chronology-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { loadCaseRecord } from '../case-page.js'
import { timelineItems } from '../chronology/timeline.js'

/** The chronology as a page made for printing (audited as a print, not a view). */
export function chronologyPrintRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.concernChronologyPrint(':id'),
      action: 'case:print',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const significantOnly = req.query.show === 'significant'
        const { concern, data: entries } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.print', details: { what: 'chronology', significant_only: significantOnly } }, (tx, c) => listChronology(tx, ctx.user.organisationId, c.id))
        res.render('case-record/chronology-print/view.njk', { activeNav: 'cases', concern, statusLabel: STATUS_LABELS[concern.status], printedAt: ctx.now(), printedBy: ctx.user.displayName, significantOnly, items: timelineItems(entries, { significantOnly }).reverse() })
      },
    },
  ]
}
