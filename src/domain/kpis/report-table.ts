/**
 * A report table as every output needs it: the page (with links to the cases behind each
 * figure), CSV, XLSX and the PDF. Cells carry the shown text and, for spreadsheets, the value.
 */
export interface ReportCell {
  text: string
  /** A number where one may be shown; the text ([c], 60%) otherwise. */
  value: number | string | null
  href?: string
}

export interface ReportRow {
  label: string
  cells: ReportCell[]
  total?: boolean
}

export interface ReportTable {
  id: string
  title: string
  /** The heading of the first column (what the rows are). */
  rowHeading: string
  columns: string[]
  rows: ReportRow[]
  /** One line saying how the table was counted. */
  note?: string
}

export function numberCell(n: number, href?: string): ReportCell {
  return { text: n.toLocaleString('en-GB'), value: n, ...(href ? { href } : {}) }
}

export function textCell(text: string): ReportCell {
  return { text, value: text }
}

/** Rows as plain values, first column the row label: for CSV and XLSX. */
export function tableGrid(table: ReportTable): (string | number | null)[][] {
  return [[table.rowHeading, ...table.columns], ...table.rows.map((r) => [r.label, ...r.cells.map((c) => c.value)])]
}
