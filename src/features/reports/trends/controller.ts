import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { financialYearLabel } from '../../../domain/kpis/periods.js'
import { londonDate } from '../../../domain/working-days.js'
import { earliestReceivedOn } from '../../../repositories/report-query-repository.js'
import { signedIn } from '../../../routing.js'
import { paths } from '../../../paths.js'
import { parseExportParams, refuseReportLink, sendTables } from '../export.js'
import { parseYearParam, periodFormItems, withQuery, yearChoices } from '../period-params.js'
import { loadTrends } from './load.js'

export function trendsController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const today = londonDate(ctx.now())
      const years = yearChoices(today, await earliestReceivedOn(deps.database.db, ctx.user.organisationId))
      const parsed = parseYearParam(req.query as Record<string, unknown>, today)
      if (!parsed.ok) return res.status(400).render('reports/trends/view.njk', { activeNav: 'reports', periodForm: periodFormItems(years, {}), errors: parsed.errors })
      res.render('reports/trends/view.njk', {
        activeNav: 'reports',
        periodForm: periodFormItems(years, { year: String(parsed.year) }),
        yearLabel: financialYearLabel(parsed.year),
        charts: await loadTrends(deps, ctx, parsed.year),
        downloads: {
          xlsx: withQuery(paths.reportTrendsDownload(), { year: String(parsed.year), format: 'xlsx' }),
          csv: (table: string) => withQuery(paths.reportTrendsDownload(), { year: String(parsed.year), table, format: 'csv' }),
        },
      })
    },

    async download(req: Request, res: Response) {
      const ctx = signedIn(req)
      const query = req.query as Record<string, unknown>
      const parsed = parseYearParam(query, londonDate(ctx.now()))
      if (!parsed.ok) return refuseReportLink(res, `${parsed.errors.summary[0]!.text}.`)
      const params = parseExportParams(query, TREND_TABLE_IDS)
      if (!params.ok) return refuseReportLink(res, params.message)
      const charts = await loadTrends(deps, ctx, parsed.year, { action: 'report.export', details: { format: params.format, table: params.table } })
      const tables = charts.map((c) => c.table).filter((t) => !params.table || t.id === params.table)
      const label = financialYearLabel(parsed.year)
      await sendTables(res, params.format, `kestrel-trends-${label}${params.table ? `-${params.table}` : ''}`, tables, `${ctx.user.organisationName}. Trends to ${label}.`)
    },
  }
}

export const TREND_TABLE_IDS = ['received-by-month-table', 'received-by-quarter-table', 'referrals-by-month-table', 'closed-by-month-table', 'service', 'type', 'agency']
