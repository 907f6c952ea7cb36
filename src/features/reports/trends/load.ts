import type { AppDeps, SignedInContext } from '../../../context.js'
import { mergeCounts, sumOf, emptyCounts, type Counts } from '../../../domain/kpis/figures.js'
import { financialYearLabel, financialYearRange, monthsOf, quartersOf, yearPeriod } from '../../../domain/kpis/periods.js'
import { numberCell, type ReportTable } from '../../../domain/kpis/report-table.js'
import { columns, type ChartSpec } from '../../../formats/chart-layout.js'
import { chartSvg } from '../../../formats/svg-chart.js'
import { labelContext, monthlyCounts, readReport } from '../../../services/report-data.js'
import { breakdownBars, monthlyTrend, type Chart } from '../charts.js'
import { caseListHref } from '../figure-links.js'
import { breakdownTable, type Column } from '../tables.js'
import { headline } from '../../../domain/kpis/figures.js'

/** Three financial years of quarters in one row of columns: is the number going up? */
function quartersOverYears(id: string, title: string, fy: number, byMonth: Map<string, Counts>): Chart {
  const quarters = [fy - 2, fy - 1, fy].flatMap((y) => quartersOf(y).map((q) => ({ ...q, label: `${q.label} ${financialYearLabel(y)}` })))
  const values = quarters.map((q) => monthsOf(q.range).reduce((s, m) => s + sumOf(byMonth.get(m.range.from.slice(0, 7)) ?? emptyCounts(), 'received'), 0))
  const spec: ChartSpec = {
    title,
    description: `${title}, from ${quarters[0]!.label} to ${quarters[quarters.length - 1]!.label}: between ${Math.min(...values)} and ${Math.max(...values)} a quarter. The table that follows gives every quarter.`,
    categories: quarters.map((q) => q.label.replace(/ (\d{4})-(\d{2})$/, ' $1')),
    series: [{ name: 'Concerns received', values }],
  }
  const table: ReportTable = {
    id: `${id}-table`,
    title,
    rowHeading: 'Quarter',
    columns: ['Concerns received'],
    rows: quarters.map((q, i) => ({ label: q.label, cells: [numberCell(values[i]!, caseListHref('received', null, q.range))] })),
  }
  const drawing = columns(spec, 640, 260)
  return { id, spec, drawing, svg: chartSvg(`chart-${id}`, spec, drawing), table }
}

export async function loadTrends(deps: AppDeps, ctx: SignedInContext, fy: number, auditAs: { action: 'report.view' | 'report.export'; details?: Record<string, unknown> } = { action: 'report.view' }): Promise<Chart[]> {
  const range = { from: financialYearRange(fy - 2).from, to: financialYearRange(fy).to }
  const { byMonth, labels } = await readReport(deps, ctx, { action: auditAs.action, details: { report: 'trends', year: fy, ...auditAs.details } }, async (tx) => ({
    byMonth: await monthlyCounts(tx, ctx, range),
    labels: await labelContext(tx, ctx.user.organisationId),
  }))
  const period = yearPeriod(fy)
  const previous = yearPeriod(fy - 1)
  const yearCounts = (y: number) => mergeCounts(monthsOf(financialYearRange(y)).map((m) => byMonth.get(m.range.from.slice(0, 7)) ?? emptyCounts()))
  const noLive = { unaddressedPastDeadline: 0, openAtEnd: 0 }
  const cols: Column[] = [fy, fy - 1].map((y) => {
    const counts = yearCounts(y)
    return { label: financialYearLabel(y), range: financialYearRange(y), counts, headline: headline(counts, noLive) }
  })
  return [
    monthlyTrend('received-by-month', 'Concerns received each month', 'received', period, previous, byMonth),
    quartersOverYears('received-by-quarter', 'Concerns received each quarter over three years', fy, byMonth),
    monthlyTrend('referrals-by-month', 'Onward referrals made each month', 'referral.agency', period, previous, byMonth),
    monthlyTrend('closed-by-month', 'Cases closed each month', 'closed', period, previous, byMonth),
    breakdownBars('by-service', breakdownTable('service', cols, labels)),
    breakdownBars('by-type', breakdownTable('type', cols, labels)),
    breakdownBars('by-agency', breakdownTable('agency', cols, labels)),
  ]
}
