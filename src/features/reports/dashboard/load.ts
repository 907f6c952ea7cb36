import type { AppDeps, SignedInContext } from '../../../context.js'
import { BREAKDOWN_KEYS } from '../../../domain/kpis/measures.js'
import { periodShortLabel, type Period } from '../../../domain/kpis/periods.js'
import type { ReportTable } from '../../../domain/kpis/report-table.js'
import { findOrganisation } from '../../../repositories/organisation-repository.js'
import { comparedFigures, labelContext, readReport, type ComparedFigures } from '../../../services/report-data.js'
import { breakdownBars, monthlyTrend, type Chart } from '../charts.js'
import { breakdownTable, headlineTable, type Column } from '../tables.js'

export interface Dashboard {
  figures: ComparedFigures
  targetDays: number
  tables: ReportTable[]
  charts: Chart[]
}

/** Everything the dashboard (and its downloads) shows for a period, read and audited in one transaction. */
export async function loadDashboard(deps: AppDeps, ctx: SignedInContext, period: Period, auditAs: { action: 'report.view' | 'report.export'; details?: Record<string, unknown> }): Promise<Dashboard> {
  const details = { report: 'dashboard', from: period.from, to: period.to, ...auditAs.details }
  const { figures, labels, targetDays } = await readReport(deps, ctx, { action: auditAs.action, details }, async (tx) => {
    const figures = await comparedFigures(tx, ctx, period)
    const labels = await labelContext(tx, ctx.user.organisationId)
    const org = await findOrganisation(tx, ctx.user.organisationId)
    return { figures, labels, targetDays: org?.target_working_days ?? 2 }
  })
  const columns: Column[] = [
    { label: periodShortLabel(figures.period), range: figures.period, ...figures.current },
    { label: periodShortLabel(figures.previous), range: figures.previous, ...figures.earlier },
  ]
  const tables = [headlineTable(columns, targetDays), ...BREAKDOWN_KEYS.map((key) => breakdownTable(key, columns, labels))]
  const byKey = new Map(tables.map((t) => [t.id, t]))
  const charts = [
    monthlyTrend('received-by-month', 'Concerns received each month', 'received', period, figures.previous, figures.current.months, figures.earlier.months),
    breakdownBars('by-service', byKey.get('service')!),
    breakdownBars('by-type', byKey.get('type')!),
  ]
  return { figures, targetDays, tables, charts }
}
