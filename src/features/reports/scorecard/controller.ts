import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { financialYearLabel } from '../../../domain/kpis/periods.js'
import { londonDate } from '../../../domain/working-days.js'
import { paths } from '../../../paths.js'
import { earliestReceivedOn } from '../../../repositories/report-query-repository.js'
import { signedIn } from '../../../routing.js'
import { parseExportParams, refuseReportLink, sendTables } from '../export.js'
import { parseYearParam, periodFormItems, withQuery, yearChoices } from '../period-params.js'
import { loadScorecard, SCORECARD_TABLE_IDS } from './load.js'

export function scorecardController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const today = londonDate(ctx.now())
      const years = yearChoices(today, await earliestReceivedOn(deps.database.db, ctx.user.organisationId))
      const parsed = parseYearParam(req.query as Record<string, unknown>, today)
      if (!parsed.ok) return res.status(400).render('reports/scorecard/view.njk', { activeNav: 'reports', periodForm: periodFormItems(years, {}), errors: parsed.errors })
      const tables = await loadScorecard(deps, ctx, parsed.year, { action: 'report.view' })
      const year = String(parsed.year)
      res.render('reports/scorecard/view.njk', {
        activeNav: 'reports',
        periodForm: periodFormItems(years, { year }),
        yearLabel: financialYearLabel(parsed.year),
        tables,
        downloads: { xlsx: withQuery(paths.reportScorecardDownload(), { year, format: 'xlsx' }), csv: (table: string) => withQuery(paths.reportScorecardDownload(), { year, table, format: 'csv' }) },
      })
    },

    async download(req: Request, res: Response) {
      const ctx = signedIn(req)
      const query = req.query as Record<string, unknown>
      const parsed = parseYearParam(query, londonDate(ctx.now()))
      if (!parsed.ok) return refuseReportLink(res, `${parsed.errors.summary[0]!.text}.`)
      const params = parseExportParams(query, SCORECARD_TABLE_IDS)
      if (!params.ok) return refuseReportLink(res, params.message)
      const tables = await loadScorecard(deps, ctx, parsed.year, { action: 'report.export', details: { format: params.format, table: params.table } })
      const chosen = params.table ? tables.filter((t) => t.id === params.table) : tables
      const label = financialYearLabel(parsed.year)
      await sendTables(res, params.format, `kestrel-scorecard-${label}${params.table ? `-${params.table}` : ''}`, chosen, `${ctx.user.organisationName}. Quarterly scorecard ${label} (1 April ${parsed.year} to 31 March ${parsed.year + 1}).`)
    },
  }
}
