import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { BREAKDOWN_KEYS } from '../../../domain/kpis/measures.js'
import { periodLabel, periodShortLabel } from '../../../domain/kpis/periods.js'
import { londonDate } from '../../../domain/working-days.js'
import { signedIn } from '../../../routing.js'
import { parseExportParams, refuseReportLink, sendTables } from '../export.js'
import { parsePeriodParams } from '../period-params.js'
import { loadDashboard } from './load.js'

const TABLE_IDS = ['headline', ...BREAKDOWN_KEYS, 'received-by-month-table']

/** The dashboard's tables as CSV (one table) or XLSX (all of them, or one). Audited as report.export. */
export function dashboardDownloadController(deps: AppDeps) {
  return {
    async download(req: Request, res: Response) {
      const ctx = signedIn(req)
      const query = req.query as Record<string, unknown>
      const parsed = parsePeriodParams(query, londonDate(ctx.now()))
      if (!parsed.ok) return refuseReportLink(res, `${parsed.errors.summary[0]?.text ?? 'The period is not valid'}.`)
      const params = parseExportParams(query, TABLE_IDS)
      if (!params.ok) return refuseReportLink(res, params.message)
      const { format, table } = params
      const dashboard = await loadDashboard(deps, ctx, parsed.period, { action: 'report.export', details: { format, table } })
      const all = [...dashboard.tables, ...dashboard.charts.filter((c) => c.id === 'received-by-month').map((c) => c.table)]
      const chosen = table ? all.filter((t) => t.id === table) : all
      const org = ctx.user.organisationName
      await sendTables(res, format, `kestrel-dashboard-${periodShortLabel(parsed.period)}${table ? `-${table}` : ''}`, chosen, `${org}. ${periodLabel(parsed.period)} compared with ${periodShortLabel(dashboard.figures.previous)}.`)
    },
  }
}
