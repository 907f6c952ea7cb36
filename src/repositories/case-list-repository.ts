import { sql, type SelectQueryBuilder } from 'kysely'
import type { ConcernStatus, ConcernTable, DB } from '../db/schema.js'
import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

export type CaseFilter = 'open' | 'closure_requested' | 'closed' | 'all'

export const CASE_FILTER_STATUSES: Record<CaseFilter, ConcernStatus[]> = {
  open: ['submitted', 'allocated', 'open'],
  closure_requested: ['closure_requested'],
  closed: ['closed'],
  all: ['submitted', 'allocated', 'open', 'closure_requested', 'closed'],
}

export interface CaseSearch {
  filter: CaseFilter
  /** A reference (exact, any case) or part of a name (the person at risk). */
  text: string | null
  /** Only cases where this person is Lead or Second DSO. */
  mineUserId?: string | null
}

type CaseQuery = SelectQueryBuilder<DB & { c: ConcernTable }, 'c', object>

function applySearch(q: CaseQuery, organisationId: string, viewerId: string, search: CaseSearch): CaseQuery {
  // Disposed cases have only a reference left: they are listed in the register of disposals instead.
  let r = q.where('c.organisation_id', '=', organisationId).where('c.status', 'in', CASE_FILTER_STATUSES[search.filter]).where('c.disposed_at', 'is', null).where(concernVisibleTo(viewerId))
  if (search.text) {
    const text = search.text.trim()
    r = r.where((eb) =>
      eb.or([
        eb(sql`upper(c.reference)`, '=', text.toUpperCase()),
        eb(sql`lower(c.person_name)`, 'like', `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`),
        eb(sql`lower(coalesce(c.person_known_as, ''))`, 'like', `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`),
      ]),
    )
  }
  if (search.mineUserId) r = r.where((eb) => eb.or([eb('c.lead_dso_id', '=', search.mineUserId!), eb('c.second_dso_id', '=', search.mineUserId!)]))
  return r
}

/** The cases list and search: one query for the page of rows, whatever their number. */
export async function listCases(db: Executor, organisationId: string, viewerId: string, search: CaseSearch, limit: number, offset: number) {
  const base = db.selectFrom('concern as c') as unknown as CaseQuery
  return applySearch(base, organisationId, viewerId, search)
    .leftJoin('app_user as l', (j) => j.onRef('l.organisation_id', '=', 'c.organisation_id').onRef('l.id', '=', 'c.lead_dso_id'))
    .select(['c.id', 'c.reference', 'c.status', 'c.received_at', 'c.addressed_at', 'c.closed_at', 'c.person_name', 'c.at_risk', 'c.restricted', 'c.ready_for_closure_at', 'l.display_name as lead_name'])
    .orderBy('c.received_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function countCases(db: Executor, organisationId: string, viewerId: string, search: CaseSearch): Promise<number> {
  const base = db.selectFrom('concern as c') as unknown as CaseQuery
  const row = await applySearch(base, organisationId, viewerId, search)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
