import type { AppDeps, SignedInContext } from '../../../context.js'
import { BREAKDOWN_KEYS } from '../../../domain/kpis/measures.js'
import type { ReportTable } from '../../../domain/kpis/report-table.js'
import { findOrganisation } from '../../../repositories/organisation-repository.js'
import { labelContext, quarterlyFigures, readReport } from '../../../services/report-data.js'
import { breakdownTable, headlineTable } from '../tables.js'

/** The quarterly scorecard of a financial year (seed 002 §9): Q1–Q4 and the full year for every measure. */
export async function loadScorecard(deps: AppDeps, ctx: SignedInContext, fy: number, auditAs: { action: 'report.view' | 'report.export'; details?: Record<string, unknown> }): Promise<ReportTable[]> {
  const { columns, labels, targetDays } = await readReport(deps, ctx, { action: auditAs.action, details: { report: 'scorecard', year: fy, ...auditAs.details } }, async (tx) => ({
    columns: await quarterlyFigures(tx, ctx, fy),
    labels: await labelContext(tx, ctx.user.organisationId),
    targetDays: (await findOrganisation(tx, ctx.user.organisationId))?.target_working_days ?? 2,
  }))
  return [headlineTable(columns, targetDays, { title: 'Performance indicators by quarter', endLabel: 'Open cases at the end of the quarter' }), ...BREAKDOWN_KEYS.map((key) => breakdownTable(key, columns, labels))]
}

export const SCORECARD_TABLE_IDS = ['headline', ...BREAKDOWN_KEYS]
