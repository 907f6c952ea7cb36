import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { STATUS_LABELS } from '../../../domain/concern-status.js'
import { pageFromQuery, paginationView, PAGE_SIZE } from '../../../pagination.js'
import { paths } from '../../../paths.js'
import { countCases, listCases, type CaseFilter } from '../../../repositories/case-list-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

const FILTERS: { value: CaseFilter; text: string }[] = [
  { value: 'open', text: 'Open' },
  { value: 'closure_requested', text: 'Closure requested' },
  { value: 'closed', text: 'Closed' },
  { value: 'all', text: 'All' },
]

/**
 * Cases: every case this person may see, newest first, filtered by status and searched by
 * reference or name. Restricted cases they are not named on are simply absent (one query for the
 * page and one count, both through concernVisibleTo).
 */
export function casesRoutes(deps: AppDeps): RouteSpec[] {
  async function show(req: Request, res: Response) {
    const ctx = signedIn(req)
    const page = pageFromQuery(req.query)
    const rawFilter = typeof req.query.status === 'string' ? req.query.status : 'open'
    const filter = (FILTERS.find((f) => f.value === rawFilter)?.value ?? 'open') as CaseFilter
    const q = req.session.caseSearch ?? ''
    const mine = req.query.mine === 'yes'
    const search = { filter, text: q || null, mineUserId: mine ? ctx.user.id : null }
    const { rows, total } = await deps.database.db.transaction().execute(async (tx) => {
      const rows = await listCases(tx, ctx.user.organisationId, ctx.user.id, search, PAGE_SIZE, (page - 1) * PAGE_SIZE)
      const total = await countCases(tx, ctx.user.organisationId, ctx.user.id, search)
      // Ids and counts only: what was searched for may be a name, so it is not kept.
      await audit(tx, ctx, { action: 'concern.list', details: { list: 'cases', filter, searched: q !== '', mine, page, count: rows.length, record_ids: rows.map((r) => r.id) } })
      return { rows, total }
    })
    const query = (n: number) => new URLSearchParams({ status: filter, ...(mine ? { mine: 'yes' } : {}), page: String(n) }).toString()
    res.render('cases/list/view.njk', {
      activeNav: 'cases',
      rows: rows.map((r) => ({ ...r, statusLabel: STATUS_LABELS[r.status] })),
      total,
      q,
      mine,
      filter,
      filterItems: FILTERS.map((f) => ({ ...f, selected: f.value === filter })),
      pagination: paginationView(page, total, (n) => paths.cases(query(n))),
    })
  }
  /**
   * The search form posts: what was typed (perhaps a name) is kept in the session and never put
   * in a URL, where browser history, proxies and logs would keep it. Status and "mine" are not
   * sensitive and stay in the query, so pages and filters can be linked.
   */
  function search(req: Request, res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>
    const text = typeof body.q === 'string' && body.clear !== 'yes' ? body.q.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 100) : ''
    if (text) req.session.caseSearch = text
    else delete req.session.caseSearch
    const status = typeof body.status === 'string' && FILTERS.some((f) => f.value === body.status) ? body.status : 'open'
    res.redirect(303, paths.cases(new URLSearchParams({ status, ...(body.mine === 'yes' ? { mine: 'yes' } : {}) }).toString()))
  }

  return [
    { method: 'get', path: paths.cases(), action: 'cases:list', handler: show },
    { method: 'post', path: paths.cases(), action: 'cases:list', handler: search },
  ]
}
