import writeXlsxFile from 'write-excel-file/node'
import type { ReportTable } from '../domain/kpis/report-table.js'
import { tableGrid } from '../domain/kpis/report-table.js'
import { toCsv, type CsvCell } from './csv-writer.js'

export const CSV_TYPE = 'text/csv; charset=utf-8'
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** One table as a CSV file, with its title and note as the first lines so the file explains itself. */
export function tableCsv(table: ReportTable, context: string): string {
  const lines: CsvCell[][] = [[table.title], [context]]
  if (table.note) lines.push([table.note])
  lines.push([])
  return toCsv([...lines, ...tableGrid(table)])
}

/** Plain rows (a case list) as CSV. */
export function rowsCsv(rows: readonly (readonly CsvCell[])[]): string {
  return toCsv(rows)
}

/** Excel forbids these in sheet names and allows 31 characters. */
export function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31) || 'Sheet'
  let name = base
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`
  taken.add(name.toLowerCase())
  return name
}

type XlsxCell = { value: string | number | null; type?: typeof String | typeof Number; fontWeight?: 'bold' } | null

function cell(value: string | number | null, bold = false): XlsxCell {
  if (value === null || value === '') return null
  // Strings are always written as text cells: a spreadsheet never runs them as formulas.
  return typeof value === 'number' ? { value, type: Number, ...(bold ? { fontWeight: 'bold' as const } : {}) } : { value, type: String, ...(bold ? { fontWeight: 'bold' as const } : {}) }
}

/** A workbook with one sheet per table, each starting with its title and context. */
export async function tablesXlsx(tables: readonly ReportTable[], context: string): Promise<Buffer> {
  const taken = new Set<string>()
  const sheets = tables.map((table) => {
    const grid = tableGrid(table)
    const data: XlsxCell[][] = [[cell(table.title, true)], [cell(context)], ...(table.note ? [[cell(table.note)]] : []), [null]]
    grid.forEach((row, i) => data.push(row.map((v, j) => cell(v, i === 0 || j === 0 || (i > 0 && table.rows[i - 1]?.total === true)))))
    return { data, sheet: sheetName(table.title, taken), columns: [{ width: 48 }, ...table.columns.map(() => ({ width: 16 }))] }
  })
  return writeXlsxFile(sheets as never).toBuffer()
}

/** Plain rows (a case list) as a one-sheet workbook, the first row bold. */
export async function rowsXlsx(title: string, rows: readonly (readonly (string | number | null)[])[]): Promise<Buffer> {
  const data = rows.map((row, i) => row.map((v) => cell(v, i === 0)))
  return writeXlsxFile([{ data, sheet: sheetName(title, new Set()) }] as never).toBuffer()
}
