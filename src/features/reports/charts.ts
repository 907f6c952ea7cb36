import { sumOf, type Counts } from '../../domain/kpis/figures.js'
import type { Measure } from '../../domain/kpis/measures.js'
import { monthsOf, periodShortLabel, quartersOf, type Period } from '../../domain/kpis/periods.js'
import { numberCell, type ReportTable } from '../../domain/kpis/report-table.js'
import { columns, horizontalBars, type ChartDrawing, type ChartSpec } from '../../formats/chart-layout.js'
import { chartSvg } from '../../formats/svg-chart.js'
import { caseListHref } from './figure-links.js'

/** A chart with the table of the same numbers that goes beside it. */
export interface Chart {
  id: string
  spec: ChartSpec
  drawing: ChartDrawing
  svg: string
  table: ReportTable
}

function make(id: string, spec: ChartSpec, drawing: ChartDrawing, table: ReportTable): Chart {
  return { id, spec, drawing, svg: chartSvg(`chart-${id}`, spec, drawing), table }
}

function monthKey(isoDate: string): string {
  return isoDate.slice(0, 7)
}

/** Unvalued measures hold one value (''), so the sum is the count either way. */
const count = (counts: Counts | undefined, measure: Measure) => (counts ? sumOf(counts, measure) : 0)

/** Each month of a period beside the same month a year earlier. */
export function monthlyTrend(id: string, title: string, measure: Measure, period: Period, previous: Period, byMonth: Map<string, Counts>, earlierByMonth: Map<string, Counts> = byMonth): Chart {
  const months = monthsOf(period)
  const earlierMonths = monthsOf(previous)
  const current = months.map((m) => count(byMonth.get(monthKey(m.range.from)), measure))
  const earlier = earlierMonths.map((m) => count(earlierByMonth.get(monthKey(m.range.from)), measure))
  const names = [periodShortLabel(period), periodShortLabel(previous)]
  const categories = months.map((m) => m.label.slice(0, 3))
  const peak = current.indexOf(Math.max(...current))
  const spec: ChartSpec = {
    title,
    description: `${title}: ${current.reduce((a, b) => a + b, 0)} in ${names[0]} against ${earlier.reduce((a, b) => a + b, 0)} in ${names[1]}${current.some((n) => n > 0) ? `; the most in ${months[peak]!.label} (${current[peak]})` : ''}. The table that follows gives every month.`,
    categories,
    series: [
      { name: names[0]!, values: current },
      { name: names[1]!, values: earlier },
    ],
  }
  const table: ReportTable = {
    id: `${id}-table`,
    title,
    rowHeading: 'Month',
    columns: names,
    rows: months.map((m, i) => ({
      label: m.label.slice(0, 3),
      cells: [numberCell(current[i]!, caseListHref(measure, null, m.range)), earlierMonths[i] ? numberCell(earlier[i]!, caseListHref(measure, null, earlierMonths[i]!.range)) : numberCell(0)],
    })),
  }
  return make(id, spec, columns(spec), table)
}

/** The four quarters of a financial year. */
export function quarterlyTrend(id: string, title: string, measure: Measure, fy: number, byMonth: Map<string, Counts>): Chart {
  const quarters = quartersOf(fy)
  const values = quarters.map((q) => monthsOf(q.range).reduce((s, m) => s + count(byMonth.get(monthKey(m.range.from)), measure), 0))
  const spec: ChartSpec = {
    title,
    description: `${title}: ${quarters.map((q, i) => `${q.label} ${values[i]}`).join(', ')}.`,
    categories: quarters.map((q) => q.label),
    series: [{ name: title, values }],
  }
  const table: ReportTable = {
    id: `${id}-table`,
    title,
    rowHeading: 'Quarter',
    columns: ['Number'],
    rows: quarters.map((q, i) => ({ label: q.label, cells: [numberCell(values[i]!, caseListHref(measure, null, q.range))] })),
  }
  return make(id, spec, columns(spec, 640, 220), table)
}

/** A breakdown table drawn as horizontal bars (its total row left out of the picture). */
export function breakdownBars(id: string, table: ReportTable): Chart {
  const rows = table.rows.filter((r) => !r.total)
  const spec: ChartSpec = {
    title: table.title,
    description: `${table.title}, ${table.columns.join(' against ')}. ${describeTop(rows, table.columns[0] ?? '')} The table that follows gives every figure.`,
    categories: rows.map((r) => r.label),
    series: table.columns.map((name, i) => ({ name, values: rows.map((r) => (typeof r.cells[i]?.value === 'number' ? (r.cells[i]!.value as number) : 0)) })),
  }
  return make(id, spec, horizontalBars(spec), table)
}

function describeTop(rows: ReportTable['rows'], column: string): string {
  const values = rows.map((r) => ({ label: r.label, n: typeof r.cells[0]?.value === 'number' ? (r.cells[0]!.value as number) : 0 })).sort((a, b) => b.n - a.n)
  const top = values[0]
  return top && top.n > 0 ? `In ${column} the most were ${top.label} (${top.n}).` : `Nothing was counted in ${column}.`
}
