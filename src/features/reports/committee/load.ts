import type { AppDeps, SignedInContext } from '../../../context.js'
import { committeeNarrative, type NarrativeParagraph } from '../../../domain/kpis/committee-narrative.js'
import { valuesOf } from '../../../domain/kpis/figures.js'
import { financialYearLabel, periodShortLabel, yearPeriod } from '../../../domain/kpis/periods.js'
import type { ReportTable } from '../../../domain/kpis/report-table.js'
import { londonDate } from '../../../domain/working-days.js'
import { findOrganisation } from '../../../repositories/organisation-repository.js'
import { comparedFigures, labelContext, quarterlyFigures, readReport } from '../../../services/report-data.js'
import { breakdownBars, monthlyTrend, type Chart } from '../charts.js'
import { breakdownTable, headlineTable, type Column } from '../tables.js'

/** The scrutiny committee report for a financial year (seed 000 §5): the words, then the tables and charts. */
export interface CommitteeReport {
  organisationName: string
  financialYear: number
  yearLabel: string
  throughDate: string
  narrative: NarrativeParagraph[]
  tables: ReportTable[]
  charts: Chart[]
}

export async function loadCommitteeReport(deps: AppDeps, ctx: SignedInContext, fy: number, auditAs: { action: 'report.view' | 'report.export'; details?: Record<string, unknown> }): Promise<CommitteeReport> {
  const period = yearPeriod(fy)
  const data = await readReport(deps, ctx, { action: auditAs.action, details: { report: 'committee', year: fy, ...auditAs.details } }, async (tx) => ({
    figures: await comparedFigures(tx, ctx, period),
    quarters: await quarterlyFigures(tx, ctx, fy),
    labels: await labelContext(tx, ctx.user.organisationId),
    organisation: await findOrganisation(tx, ctx.user.organisationId),
  }))
  const { figures, labels } = data
  const targetDays = data.organisation?.target_working_days ?? 2
  const today = londonDate(ctx.now())
  const throughDate = period.to < today ? period.to : today
  const referring = valuesOf(figures.current.counts, 'received.service')
  const narrative = committeeNarrative({
    financialYear: fy,
    throughDate,
    current: figures.current.headline,
    previous: figures.earlier.headline,
    targetWorkingDays: targetDays,
    referringServices: labels.services.filter((s) => (referring.get(s.id) ?? 0) > 0).map((s) => s.name),
  })
  const compared: Column[] = [
    { label: periodShortLabel(figures.period), range: figures.period, ...figures.current },
    { label: periodShortLabel(figures.previous), range: figures.previous, ...figures.earlier },
  ]
  const byService = breakdownTable('service', compared, labels)
  const tables = [
    headlineTable(compared, targetDays, { title: `Performance indicators, ${financialYearLabel(fy)} and ${financialYearLabel(fy - 1)}` }),
    headlineTable(data.quarters, targetDays, { id: 'quarters', title: `Performance indicators by quarter, ${financialYearLabel(fy)}`, endLabel: 'Open cases at the end of the quarter' }),
    byService,
    breakdownTable('type', compared, labels),
    breakdownTable('agency', compared, labels),
  ]
  const charts = [monthlyTrend('received-by-month', 'Concerns received each month', 'received', period, figures.previous, figures.current.months, figures.earlier.months), breakdownBars('by-service', byService)]
  return { organisationName: data.organisation?.name ?? ctx.user.organisationName, financialYear: fy, yearLabel: financialYearLabel(fy), throughDate, narrative, tables, charts }
}
