import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { financialYearLabel, financialYearRange } from '../../../domain/kpis/periods.js'
import { londonDate } from '../../../domain/working-days.js'
import { singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { earliestReceivedOn } from '../../../repositories/report-query-repository.js'
import { signedIn } from '../../../routing.js'
import { periodCounts, readReport } from '../../../services/report-data.js'
import type { SignedInContext } from '../../../context.js'
import type { Disclosure } from '../../../domain/kpis/suppression.js'
import { parseExportParams, refuseReportLink, sendTables } from '../export.js'
import { parseYearParam, periodFormItems, withQuery, yearChoices } from '../period-params.js'
import { parseDisclosure } from './params.js'
import { ADULTS_TABLE_IDS, adultsCollectionTables } from './tables.js'

async function load(deps: AppDeps, ctx: SignedInContext, fy: number, d: Disclosure, action: 'report.view' | 'report.export', extra: Record<string, unknown> = {}) {
  const range = financialYearRange(fy)
  const counts = await readReport(deps, ctx, { action, details: { report: 'adults-collection', year: fy, suppressed: d.suppress, rounded: d.roundToFive, ...extra } }, (tx) => periodCounts(tx, ctx, range))
  return adultsCollectionTables(counts, d, range)
}

export function adultsCollectionController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const today = londonDate(ctx.now())
      const years = yearChoices(today, await earliestReceivedOn(deps.database.db, ctx.user.organisationId))
      const query = req.query as Record<string, unknown>
      const year = parseYearParam(query, today)
      const disclosure = parseDisclosure(query)
      if (!year.ok || !disclosure.ok) {
        const errors = !year.ok ? year.errors : singleError('share', (disclosure as { message: string }).message, '#share')
        return res.status(400).render('reports/adults-collection/view.njk', { activeNav: 'reports', periodForm: periodFormItems(years, {}), values: { share: 'internal', round: 'no' }, errors })
      }
      const tables = await load(deps, ctx, year.year, disclosure.disclosure, 'report.view')
      const params = { year: String(year.year), share: disclosure.values.share, round: disclosure.values.round }
      res.render('reports/adults-collection/view.njk', {
        activeNav: 'reports',
        periodForm: periodFormItems(years, { year: params.year }),
        values: disclosure.values,
        yearLabel: financialYearLabel(year.year),
        suppressed: disclosure.disclosure.suppress,
        tables,
        downloads: { xlsx: withQuery(paths.reportAdultsCollectionDownload(), { ...params, format: 'xlsx' }), csv: (table: string) => withQuery(paths.reportAdultsCollectionDownload(), { ...params, table, format: 'csv' }) },
      })
    },

    async download(req: Request, res: Response) {
      const ctx = signedIn(req)
      const query = req.query as Record<string, unknown>
      const year = parseYearParam(query, londonDate(ctx.now()))
      if (!year.ok) return refuseReportLink(res, `${year.errors.summary[0]!.text}.`)
      const disclosure = parseDisclosure(query)
      if (!disclosure.ok) return refuseReportLink(res, `${disclosure.message}.`)
      const params = parseExportParams(query, ADULTS_TABLE_IDS)
      if (!params.ok) return refuseReportLink(res, params.message)
      const tables = await load(deps, ctx, year.year, disclosure.disclosure, 'report.export', { format: params.format, table: params.table })
      const chosen = params.table ? tables.filter((t) => t.id === params.table) : tables
      const label = financialYearLabel(year.year)
      const d = disclosure.disclosure
      const control = d.suppress ? ` Counts of 1 to 4 are shown as [c]${d.roundToFive ? '; other counts are rounded to the nearest 5' : ''}.` : ' For use within the organisation only: small numbers are not suppressed.'
      await sendTables(res, params.format, `kestrel-adults-collection-${label}${params.table ? `-${params.table}` : ''}${d.suppress ? '-shared' : ''}`, chosen, `${ctx.user.organisationName}. Safeguarding Adults Collection tables, ${label}.${control}`)
    },
  }
}
