import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { formatLongDate } from '../../../domain/kpis/periods.js'
import { londonDate } from '../../../domain/working-days.js'
import { committeePdf } from '../../../formats/committee-pdf.js'
import { paths } from '../../../paths.js'
import { earliestReceivedOn } from '../../../repositories/report-query-repository.js'
import { signedIn } from '../../../routing.js'
import { refuseReportLink } from '../export.js'
import { parseYearParam, periodFormItems, withQuery, yearChoices } from '../period-params.js'
import { loadCommitteeReport, type CommitteeReport } from './load.js'

function titles(report: CommitteeReport) {
  const partial = report.throughDate < `${report.financialYear + 1}-03-31`
  return {
    title: `Safeguarding performance report ${report.yearLabel}`,
    subtitle: `${report.organisationName}. Figures for 1 April ${report.financialYear} to ${formatLongDate(report.throughDate)}${partial ? ' (the year so far)' : ''}, compared with the year before.`,
  }
}

export function committeeController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const today = londonDate(ctx.now())
      const years = yearChoices(today, await earliestReceivedOn(deps.database.db, ctx.user.organisationId))
      const parsed = parseYearParam(req.query as Record<string, unknown>, today)
      if (!parsed.ok) return res.status(400).render('reports/committee/view.njk', { activeNav: 'reports', periodForm: periodFormItems(years, {}), errors: parsed.errors })
      const report = await loadCommitteeReport(deps, ctx, parsed.year, { action: 'report.view' })
      res.render('reports/committee/view.njk', {
        activeNav: 'reports',
        periodForm: periodFormItems(years, { year: String(parsed.year) }),
        report,
        ...titles(report),
        pdfHref: withQuery(paths.reportCommitteePdf(), { year: String(parsed.year) }),
      })
    },

    async pdf(req: Request, res: Response) {
      const ctx = signedIn(req)
      const parsed = parseYearParam(req.query as Record<string, unknown>, londonDate(ctx.now()))
      if (!parsed.ok) return refuseReportLink(res, `${parsed.errors.summary[0]!.text}.`)
      const report = await loadCommitteeReport(deps, ctx, parsed.year, { action: 'report.export', details: { format: 'pdf' } })
      const { title, subtitle } = titles(report)
      const body = await committeePdf({
        title,
        subtitle,
        narrativeHeading: 'Performance',
        narrative: report.narrative,
        tables: report.tables,
        charts: report.charts,
        generatedOn: formatLongDate(londonDate(ctx.now())),
      })
      res.setHeader('Content-Type', 'application/pdf')
      res.setHeader('Content-Disposition', `attachment; filename="kestrel-committee-report-${report.yearLabel}.pdf"`)
      res.send(body)
    },
  }
}
