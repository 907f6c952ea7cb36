import type { Response } from 'express'
import type { ReportTable } from '../../domain/kpis/report-table.js'
import { CSV_TYPE, tableCsv, tablesXlsx, XLSX_TYPE } from '../../formats/table-export.js'

export type ExportFormat = 'csv' | 'xlsx'

/** `format` (csv or xlsx) and, for CSV (one table per file), `table`: refused with a 400 page when wrong. */
export function parseExportParams(query: Record<string, unknown>, tableIds: readonly string[]): { ok: true; format: ExportFormat; table: string | null } | { ok: false; message: string } {
  const format = query.format
  if (format !== 'csv' && format !== 'xlsx') return { ok: false, message: 'The download must be CSV or XLSX.' }
  const table = query.table
  if (table === undefined) {
    if (format === 'csv') return { ok: false, message: 'Choose a table to download as CSV.' }
    return { ok: true, format, table: null }
  }
  if (typeof table !== 'string' || !tableIds.includes(table)) return { ok: false, message: 'There is no such table in this report.' }
  return { ok: true, format, table }
}

/** A report link that cannot be followed (a bad period, value or format): a 400 page saying what is wrong. */
export function refuseReportLink(res: Response, message: string): void {
  res.status(400).render('errors/bad-request.njk', { heading: 'There is a problem with this report link', message: `${message} Nothing was downloaded or changed.` })
}

/** Sends tables as an attachment named after the report and period (no personal data in names). */
export async function sendTables(res: Response, format: ExportFormat, fileBase: string, tables: readonly ReportTable[], context: string): Promise<void> {
  const safeBase = fileBase.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').toLowerCase()
  if (format === 'csv') {
    res.setHeader('Content-Type', CSV_TYPE)
    res.setHeader('Content-Disposition', `attachment; filename="${safeBase}.csv"`)
    res.send(tableCsv(tables[0]!, context))
    return
  }
  const body = await tablesXlsx(tables, context)
  res.setHeader('Content-Type', XLSX_TYPE)
  res.setHeader('Content-Disposition', `attachment; filename="${safeBase}.xlsx"`)
  res.send(body)
}
