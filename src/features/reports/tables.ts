import { numberInWords } from '../../domain/kpis/committee-narrative.js'
import { breakdownRows, type Counts, type Headline, type LabelContext, type Ratio } from '../../domain/kpis/figures.js'
import { BASIS_TEXT, BREAKDOWNS, MEASURES, type BreakdownKey } from '../../domain/kpis/measures.js'
import type { DateRange } from '../../domain/kpis/periods.js'
import { numberCell, type ReportCell, type ReportTable } from '../../domain/kpis/report-table.js'
import { caseListHref } from './figure-links.js'

/**
 * Report tables built from columns of figures: the dashboard's two periods, or a scorecard's
 * Q1–Q4 and full year. Every number links to the cases behind it for that column's dates.
 */
export interface Column {
  label: string
  range: DateRange
  counts: Counts
  headline: Headline
}

function ratioCell(r: Ratio, href: string): ReportCell {
  if (r.percent === null) return { text: 'None yet', value: null, href }
  return { text: `${r.percent}% (${r.n.toLocaleString('en-GB')} of ${r.of.toLocaleString('en-GB')})`, value: `${r.percent}% (${r.n} of ${r.of})`, href }
}

function median(value: number | null, href: string): ReportCell {
  return value === null ? { text: 'None yet', value: null, href } : { text: value.toLocaleString('en-GB'), value, href }
}

export function targetWords(targetDays: number): string {
  return `${numberInWords(targetDays)} working day${targetDays === 1 ? '' : 's'}`
}

export function headlineTable(columns: readonly Column[], targetDays: number, options: { id?: string; title?: string; endLabel?: string } = {}): ReportTable {
  const row = (label: string, cell: (h: Headline, range: DateRange) => ReportCell) => ({ label, cells: columns.map((c) => cell(c.headline, c.range)) })
  return {
    id: options.id ?? 'headline',
    title: options.title ?? 'Performance indicators',
    rowHeading: 'Indicator',
    columns: columns.map((c) => c.label),
    note: 'Referrals, the target and onward referrals are counted by the date each concern was received; decisions by the decision date; closures by the closure date.',
    rows: [
      row('Concerns received', (h, r) => numberCell(h.received, caseListHref('received', null, r))),
      row(`Addressed within the target of ${targetWords(targetDays)}`, (h, r) => ratioCell(h.withinTarget, caseListHref('within_target', null, r))),
      row('Not addressed within the target', (h, r) => numberCell(h.withinTarget.of - h.withinTarget.n, caseListHref('missed_target', null, r))),
      row('Resulting in an onward referral', (h, r) => ratioCell(h.onwardReferral, caseListHref('decided_onward', null, r))),
      row('Referring services', (h, r) => numberCell(h.referringServices, caseListHref('received', null, r))),
      row('Repeat concerns about the same person within 12 months', (h, r) => numberCell(h.repeat.n, caseListHref('repeat', null, r))),
      row(options.endLabel ?? 'Open cases at the end of the period', (h, r) => numberCell(h.openAtEnd, caseListHref('open_at_end', null, r))),
      row('Median working days to address', (h, r) => median(h.medianDaysToAddress, caseListHref('addressed', null, r))),
      row('Cases closed', (h, r) => numberCell(h.closed, caseListHref('closed', null, r))),
      row('Median working days from receipt to closure', (h, r) => median(h.medianDaysToClose, caseListHref('closed', null, r))),
      row('Cases reopened after closure', (h, r) => numberCell(h.reopened, caseListHref('reopened', null, r))),
      row('Onward referrals made', (h, r) => numberCell(h.onwardReferralsMade, caseListHref('referral.agency', null, r))),
    ],
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function breakdownTable(key: BreakdownKey, columns: readonly Column[], labels: LabelContext): ReportTable {
  const spec = BREAKDOWNS[key]
  const rows = breakdownRows(
    key,
    columns.map((c) => c.counts),
    labels,
  )
  return {
    id: key,
    title: spec.label,
    rowHeading: spec.label,
    columns: columns.map((c) => c.label),
    note: `${key === 'type' ? 'A concern with several types is counted under each; the total counts it once. ' : ''}${capitalise(BASIS_TEXT[MEASURES[spec.measure].basis])}.`,
    rows: rows.map((r) => {
      const isGrandTotal = r.isTotal === true && r.value === ''
      const measure = isGrandTotal ? (spec.total ?? spec.measure) : spec.measure
      return {
        label: r.label,
        ...(r.isTotal ? { total: true } : {}),
        cells: r.counts.map((n, i) => numberCell(n, caseListHref(measure, isGrandTotal ? null : r.value, columns[i]!.range))),
      }
    }),
  }
}
