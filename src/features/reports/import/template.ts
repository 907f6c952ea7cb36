import type { Request, Response } from 'express'
import writeXlsxFile from 'write-excel-file/node'
import type { AppDeps } from '../../../context.js'
import { IMPORT_COLUMNS } from '../../../domain/import/import-columns.js'
import { toCsv } from '../../../formats/csv-writer.js'
import { CSV_TYPE, XLSX_TYPE } from '../../../formats/table-export.js'
import { refuseReportLink } from '../export.js'

/** The import template: the header row and one example record, as CSV or XLSX. */
export function importTemplateController(_deps: AppDeps) {
  return {
    async download(req: Request, res: Response) {
      const format = req.query.format
      const header = IMPORT_COLUMNS.map((c) => c.name)
      const example = IMPORT_COLUMNS.map((c) => c.example)
      if (format === 'csv') {
        res.setHeader('Content-Type', CSV_TYPE)
        res.setHeader('Content-Disposition', 'attachment; filename="kestrel-import-template.csv"')
        return res.send(toCsv([header, example]))
      }
      if (format === 'xlsx') {
        const cell = (value: string, bold = false) => (value === '' ? null : { value, type: String, ...(bold ? { fontWeight: 'bold' as const } : {}) })
        const body = await writeXlsxFile([header.map((h) => cell(h, true)), example.map((e) => cell(e))] as never, { sheet: 'Concerns', columns: header.map(() => ({ width: 24 })) } as never).toBuffer()
        res.setHeader('Content-Type', XLSX_TYPE)
        res.setHeader('Content-Disposition', 'attachment; filename="kestrel-import-template.xlsx"')
        return res.send(body)
      }
      refuseReportLink(res, 'The template comes as CSV or XLSX.')
    },
  }
}
