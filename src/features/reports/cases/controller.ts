import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { STATUS_LABELS } from '../../../domain/concern-status.js'
import { valueLabel } from '../../../domain/kpis/figures.js'
import { caseListMeasureLabel, isMeasure, MEASURES, LIST_ONLY, BASIS_TEXT } from '../../../domain/kpis/measures.js'
import { formatLongDate } from '../../../domain/kpis/periods.js'
import { AT_RISK_OPTIONS, concernTypeLabel } from '../../../domain/reference-lists.js'
import { DECISIONS, optionText } from '../../../domain/sac-lists.js'
import type { ConcernStatus } from '../../../db/schema.js'
import { roleMayPerform } from '../../../domain/policy.js'
import { pageFromQuery, paginationView, PAGE_SIZE } from '../../../pagination.js'
import { paths } from '../../../paths.js'
import { countCases, listCases, type CaseListRow } from '../../../repositories/report-case-list-repository.js'
import { listServices } from '../../../repositories/service-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { labelContext } from '../../../services/report-data.js'
import { refreshReports } from '../../../services/report-refresh.js'
import { yieldBetweenQueries } from '../../../db/yield-between-queries.js'
import { refuseReportLink } from '../export.js'
import { withQuery } from '../period-params.js'
import { parseCaseListParams } from './params.js'

export function describeList(measure: Parameters<typeof caseListMeasureLabel>[0], valueText: string | null, from: string, to: string): { heading: string; span: string; basis: string } {
  const basis = isMeasure(measure) ? MEASURES[measure].basis : LIST_ONLY[measure as keyof typeof LIST_ONLY].basis
  return {
    heading: valueText ? `${caseListMeasureLabel(measure)}: ${valueText}` : caseListMeasureLabel(measure),
    span: measure === 'open_at_end' ? `At the end of ${formatLongDate(to)}` : `${formatLongDate(from)} to ${formatLongDate(to)}`,
    basis: measure === 'open_at_end' ? 'Cases received by that date and not closed by it.' : `Cases ${BASIS_TEXT[basis]}.`,
  }
}

export function caseRowView(r: CaseListRow) {
  return {
    ...r,
    atRiskText: AT_RISK_OPTIONS.find((o) => o.value === r.at_risk)?.text ?? r.at_risk,
    typeTexts: r.types.map(concernTypeLabel),
    decisionText: r.decision ? optionText(DECISIONS, r.decision) : 'Not decided yet',
    statusText: STATUS_LABELS[r.status as ConcernStatus] ?? r.status,
  }
}

export function caseListController(deps: AppDeps) {
  const db = deps.database.db
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const query = req.query as Record<string, unknown>
      const services = await listServices(db, ctx.user.organisationId)
      const params = parseCaseListParams(query, services.map((s) => s.id))
      if (!params.ok) return refuseReportLink(res, params.message)
      const page = pageFromQuery(query)
      const now = ctx.now()
      await refreshReports(db, ctx.user.organisationId, now, { embedded: deps.database.engine === 'pglite' })
      const filter = { measure: params.measure, value: params.value, range: params.range }
      const { rows, total, labels } = await db.transaction().execute(async (transaction) => {
        const tx = deps.database.engine === 'pglite' ? transaction.withPlugin(yieldBetweenQueries) : transaction
        const rows = await listCases(tx, ctx.user.organisationId, ctx.user.id, filter, now, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        const total = await countCases(tx, ctx.user.organisationId, ctx.user.id, filter, now)
        const labels = await labelContext(tx, ctx.user.organisationId)
        await audit(tx, ctx, { action: 'concern.list', details: { list: 'report', measure: params.measure, from: params.range.from, to: params.range.to, page, count: rows.length, record_ids: rows.map((r) => r.id) } })
        return { rows, total, labels }
      })
      const valueText = params.value === null ? null : valueLabel(params.measure, params.value, labels)
      const base = { measure: params.measure, value: params.value ?? undefined, from: params.range.from, to: params.range.to }
      res.render('reports/cases/view.njk', {
        activeNav: 'reports',
        ...describeList(params.measure, valueText, params.range.from, params.range.to),
        items: rows.map(caseRowView),
        total,
        pagination: paginationView(page, total, (n) => withQuery(paths.reportCases(), { ...base, page: String(n) })),
        mayExport: roleMayPerform(ctx.user.roles, 'reports:export'),
        downloads: {
          csv: withQuery(paths.reportCasesDownload(), { ...base, format: 'csv' }),
          xlsx: withQuery(paths.reportCasesDownload(), { ...base, format: 'xlsx' }),
        },
      })
    },
  }
}
