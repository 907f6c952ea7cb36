import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { periodLabel, periodShortLabel } from '../../../domain/kpis/periods.js'
import { roleMayPerform } from '../../../domain/policy.js'
import { londonDate } from '../../../domain/working-days.js'
import { earliestReceivedOn } from '../../../repositories/report-query-repository.js'
import { signedIn } from '../../../routing.js'
import { paths } from '../../../paths.js'
import { parsePeriodParams, periodFormItems, periodQuery, withQuery, yearChoices } from '../period-params.js'
import { loadDashboard } from './load.js'

export function dashboardController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const today = londonDate(ctx.now())
      const years = yearChoices(today, await earliestReceivedOn(deps.database.db, ctx.user.organisationId))
      const parsed = parsePeriodParams(req.query as Record<string, unknown>, today)
      if (!parsed.ok) {
        return res.status(400).render('reports/dashboard/view.njk', { activeNav: 'reports', periodForm: periodFormItems(years, parsed.values), values: parsed.values, errors: parsed.errors })
      }
      const { period } = parsed
      const dashboard = await loadDashboard(deps, ctx, period, { action: 'report.view' })
      const query = periodQuery(period)
      res.render('reports/dashboard/view.njk', {
        activeNav: 'reports',
        values: parsed.values,
        periodForm: periodFormItems(years, period.kind === 'custom' ? {} : { year: String(period.financialYear), quarter: period.kind === 'quarter' ? String(period.quarter) : 'all' }),
        period,
        periodLabel: periodLabel(period),
        previousLabel: periodShortLabel(dashboard.figures.previous),
        headline: dashboard.tables[0],
        breakdowns: dashboard.tables.slice(1),
        charts: dashboard.charts,
        mayExport: roleMayPerform(ctx.user.roles, 'reports:export'),
        downloads: {
          xlsx: withQuery(paths.reportDownload(), { ...query, format: 'xlsx' }),
          csv: (table: string) => withQuery(paths.reportDownload(), { ...query, table, format: 'csv' }),
        },
      })
    },
  }
}
