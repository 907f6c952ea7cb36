import { countOf, valuesOf, type Counts } from '../../../domain/kpis/figures.js'
import type { Measure } from '../../../domain/kpis/measures.js'
import type { DateRange } from '../../../domain/kpis/periods.js'
import type { ReportTable } from '../../../domain/kpis/report-table.js'
import { ADULT_CONCERN_TYPES, concernTypeLabel, LOCATIONS } from '../../../domain/reference-lists.js'
import { CASE_OUTCOMES, MSP_ACHIEVED, MSP_ASKED, RISK_OUTCOMES, SOURCES_OF_RISK, type Option } from '../../../domain/sac-lists.js'
import { cellCount, isSuppressed, shownCount, shownPercent, type Disclosure } from '../../../domain/kpis/suppression.js'
import { caseListHref } from '../figure-links.js'

/**
 * Tables in the shape of the Safeguarding Adults Collection for one year: SG2a types of risk,
 * SG2b location and source of risk, SG2c outcomes and risk outcomes, SG4 Making Safeguarding
 * Personal. The Collection counts concluded enquiries, so these count adult cases closed in the
 * year (with the number of adult concerns received for context). With disclosure control on,
 * counts of 1 to 4 show as [c] and links to cases are left out.
 */
function optionRows(measure: Measure, options: readonly Option[], counts: Counts): { value: string; label: string; n: number }[] {
  const values = valuesOf(counts, measure)
  const rows = options.map((o) => ({ value: o.value, label: o.text, n: values.get(o.value) ?? 0 }))
  for (const [value, n] of values) {
    if (!options.some((o) => o.value === value)) rows.push({ value, label: value === 'not_recorded' ? 'Not recorded' : value, n })
  }
  return rows
}

function table(id: string, title: string, rowHeading: string, measure: Measure, rows: { value: string; label: string; n: number }[], total: number, totalLabel: string, d: Disclosure, range: DateRange, note: string): ReportTable {
  const linked = !d.suppress && !d.roundToFive
  const cell = (n: number, value: string | null) => ({ text: shownCount(n, d), value: cellCount(n, d), ...(linked && !isSuppressed(n, d) ? { href: caseListHref(value === null ? 'adult_closed' : measure, value, range) } : {}) })
  const percent = (n: number) => ({ text: shownPercent(n, total, d), value: shownPercent(n, total, d) })
  return {
    id,
    title,
    rowHeading,
    columns: ['Number', 'Per cent'],
    note,
    rows: [...rows.map((r) => ({ label: r.label, cells: [cell(r.n, r.value), percent(r.n)] })), { label: totalLabel, total: true, cells: [cell(total, null), { text: total > 0 ? '100%' : '–', value: total > 0 ? '100%' : '–' }] }],
  }
}

export function adultsCollectionTables(counts: Counts, d: Disclosure, range: DateRange): ReportTable[] {
  const closed = countOf(counts, 'adult_closed')
  const received = countOf(counts, 'received.at_risk', 'adult') + countOf(counts, 'received.at_risk', 'household')
  const types = ADULT_CONCERN_TYPES.map((t) => ({ value: `adult:${t}`, label: concernTypeLabel(`adult:${t}`).replace(' (adult)', ''), n: countOf(counts, 'adult_closed.type', `adult:${t}`) }))
  const perCase = 'Adult cases closed in the year (the Collection counts concluded enquiries).'
  return [
    {
      id: 'sg1',
      title: 'Safeguarding concerns about adults',
      rowHeading: 'Measure',
      columns: ['Number'],
      note: 'Concerns received in the year about an adult or a household; cases closed in the year with an adult type of concern.',
      rows: [
        { label: 'Concerns received about adults or households', cells: [{ text: shownCount(received, d), value: cellCount(received, d) }] },
        { label: 'Adult cases closed', cells: [{ text: shownCount(closed, d), value: cellCount(closed, d) }] },
      ],
    },
    table('sg2a', 'SG2a: Types of risk', 'Type of risk', 'adult_closed.type', types, closed, 'All adult cases closed', d, range, `${perCase} A case with several types of risk is counted under each; the total counts it once.`),
    table('sg2b-location', 'SG2b: Location of risk', 'Location of risk', 'adult_closed.location', optionRows('adult_closed.location', LOCATIONS.map((l) => ({ value: l, text: l })), counts), closed, 'All adult cases closed', d, range, perCase),
    table('sg2b-source', 'SG2b: Source of risk', 'Source of risk', 'adult_closed.source', optionRows('adult_closed.source', SOURCES_OF_RISK, counts), closed, 'All adult cases closed', d, range, perCase),
    table('sg2c-outcome', 'SG2c: Outcome of the enquiry', 'Outcome', 'adult_closed.outcome', optionRows('adult_closed.outcome', CASE_OUTCOMES, counts), closed, 'All adult cases closed', d, range, perCase),
    table('sg2c-risk', 'SG2c: Risk outcome', 'Risk outcome', 'adult_closed.risk_outcome', optionRows('adult_closed.risk_outcome', RISK_OUTCOMES, counts), closed, 'All adult cases closed', d, range, perCase),
    table('sg4-asked', 'SG4a: Making Safeguarding Personal – was the person asked about the outcomes they wanted?', 'Asked', 'adult_closed.msp_asked', optionRows('adult_closed.msp_asked', MSP_ASKED, counts), closed, 'All adult cases closed', d, range, perCase),
    table('sg4-achieved', 'SG4b: Making Safeguarding Personal – were the outcomes achieved?', 'Achieved', 'adult_closed.msp_achieved', optionRows('adult_closed.msp_achieved', MSP_ACHIEVED, counts), closed, 'All adult cases closed', d, range, `${perCase} Where outcomes were expressed.`),
  ]
}

export const ADULTS_TABLE_IDS = ['sg1', 'sg2a', 'sg2b-location', 'sg2b-source', 'sg2c-outcome', 'sg2c-risk', 'sg4-asked', 'sg4-achieved']
