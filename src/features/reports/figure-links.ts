import type { CaseListMeasure } from '../../domain/kpis/measures.js'
import type { DateRange } from '../../domain/kpis/periods.js'
import { paths } from '../../paths.js'
import { withQuery } from './period-params.js'

/** The list of cases behind a figure. Values are ids, codes and dates: nothing personal in the URL. */
export function caseListHref(measure: CaseListMeasure, value: string | null, range: DateRange): string {
  return withQuery(paths.reportCases(), { measure, ...(value !== null && value !== '' ? { value } : {}), from: range.from, to: range.to })
}
