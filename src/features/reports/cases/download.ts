import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { valueLabel } from '../../../domain/kpis/figures.js'
import type { CsvCell } from '../../../formats/csv-writer.js'
import { CSV_TYPE, rowsCsv, rowsXlsx, XLSX_TYPE } from '../../../formats/table-export.js'
import { listCases, type CaseListRow } from '../../../repositories/report-case-list-repository.js'
import { listServices } from '../../../repositories/service-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { labelContext } from '../../../services/report-data.js'
import { refreshReports } from '../../../services/report-refresh.js'
import { yieldBetweenQueries } from '../../../db/yield-between-queries.js'
import { londonDate } from '../../../domain/working-days.js'
import { refuseReportLink } from '../export.js'
import { caseRowView, describeList } from './controller.js'
import { parseCaseListParams } from './params.js'

/** The most rows one download holds: a list longer than this is a sign the period is wrong. */
export const MAX_EXPORT_ROWS = 100_000
const CHUNK = 5_000

const HEADER = ['Reference', 'Received', 'Addressed', 'Within target', 'Closed', 'Referring service', 'Who is at risk', 'Types of concern', 'Decision', 'Status', 'Restricted', 'Repeat concern']

function exportRow(r: CaseListRow): CsvCell[] {
  const v = caseRowView(r)
  return [
    r.reference,
    londonDate(r.received_at),
    r.addressed_at ? londonDate(r.addressed_at) : '',
    r.within_target === null ? '' : r.within_target ? 'Yes' : 'No',
    r.closed_at ? londonDate(r.closed_at) : '',
    r.service_name,
    v.atRiskText,
    v.typeTexts.join('; '),
    v.decisionText,
    v.statusText,
    r.restricted ? 'Yes' : 'No',
    r.is_repeat ? 'Yes' : 'No',
  ]
}

/**
 * A case list as CSV or XLSX: only the cases the viewer may see (restricted ones through
 * concernVisibleTo), references and categories but no names or narrative, audited with the ids.
 */
export function caseListDownloadController(deps: AppDeps) {
  const db = deps.database.db
  return {
    async download(req: Request, res: Response) {
      const ctx = signedIn(req)
      const query = req.query as Record<string, unknown>
      const format = query.format
      if (format !== 'csv' && format !== 'xlsx') return refuseReportLink(res, 'The download must be CSV or XLSX.')
      const services = await listServices(db, ctx.user.organisationId)
      const params = parseCaseListParams(query, services.map((s) => s.id))
      if (!params.ok) return refuseReportLink(res, params.message)
      const now = ctx.now()
      await refreshReports(db, ctx.user.organisationId, now, { embedded: deps.database.engine === 'pglite' })
      const filter = { measure: params.measure, value: params.value, range: params.range }
      const { rows, labels } = await db.transaction().execute(async (transaction) => {
        const tx = deps.database.engine === 'pglite' ? transaction.withPlugin(yieldBetweenQueries) : transaction
        const rows: CaseListRow[] = []
        for (let offset = 0; offset < MAX_EXPORT_ROWS; offset += CHUNK) {
          const chunk = await listCases(tx, ctx.user.organisationId, ctx.user.id, filter, now, Math.min(CHUNK, MAX_EXPORT_ROWS - offset), offset)
          rows.push(...chunk)
          if (chunk.length < CHUNK) break
        }
        const labels = await labelContext(tx, ctx.user.organisationId)
        await audit(tx, ctx, { action: 'report.export', details: { report: 'case-list', measure: params.measure, from: params.range.from, to: params.range.to, format, count: rows.length, record_ids: rows.map((r) => r.id) } })
        return { rows, labels }
      })
      const valueText = params.value === null ? null : valueLabel(params.measure, params.value, labels)
      const described = describeList(params.measure, valueText, params.range.from, params.range.to)
      const grid: CsvCell[][] = [HEADER, ...rows.map(exportRow)]
      const name = `kestrel-cases-${params.measure.replace(/[^a-z_]+/g, '-')}-${params.range.from}-to-${params.range.to}`
      if (format === 'csv') {
        res.setHeader('Content-Type', CSV_TYPE)
        res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`)
        return res.send(rowsCsv([[described.heading], [`${described.span}. ${described.basis}`], [], ...grid]))
      }
      res.setHeader('Content-Type', XLSX_TYPE)
      res.setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`)
      res.send(await rowsXlsx('Cases', grid.map((row) => row.map((c) => (c === undefined || c === null ? null : typeof c === 'boolean' ? (c ? 'Yes' : 'No') : c)))))
    },
  }
}
