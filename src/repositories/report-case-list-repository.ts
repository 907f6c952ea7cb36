import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely'
import type { DB } from '../db/schema.js'
import { parseAgeFilter } from '../domain/kpis/age-bands.js'
import type { CaseListMeasure } from '../domain/kpis/measures.js'
import type { DateRange } from '../domain/kpis/periods.js'
import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

/**
 * The cases behind a figure. Each measure's predicate over the concern's facts matches how the
 * daily counts are made (report-fact-repository.ts `measureRows`), and the list only ever shows
 * what the viewer may see: restricted cases go through `concernVisibleTo`.
 */
export interface CaseListFilter {
  measure: CaseListMeasure
  value: string | null
  range: DateRange
}

type Eb = ExpressionBuilder<DB & { c: DB['concern']; f: DB['report_concern_fact']; s: DB['service'] }, 'c' | 'f' | 's'>

function within(eb: Eb, column: 'f.received_on' | 'f.addressed_on' | 'f.closed_on', range: DateRange): Expression<SqlBool> {
  return eb.and([eb(column, '>=', range.from), eb(column, '<=', range.to)])
}

function ageMatches(eb: Eb, value: string | null): Expression<SqlBool> {
  const age = value === null ? null : parseAgeFilter(value)
  if (age === null) return sql<SqlBool>`false`
  if (age === 'unborn') return eb('f.at_risk', '=', 'unborn')
  if (age === 'unknown') return eb.and([eb('f.at_risk', '!=', 'unborn'), eb('f.age_years', 'is', null)])
  const parts = [eb('f.at_risk', '!=', 'unborn'), eb('f.age_years', '>=', age.lo)]
  if (age.hi !== null) parts.push(eb('f.age_years', '<=', age.hi))
  return eb.and(parts)
}

function orNotRecorded(eb: Eb, column: 'f.sac_outcome' | 'f.source_of_risk' | 'f.risk_outcome' | 'f.msp_asked' | 'f.msp_achieved', value: string | null): Expression<SqlBool> {
  if (value === null) return sql<SqlBool>`true`
  if (value === 'not_recorded') return eb.or([eb(column, 'is', null), eb(column, '=', 'not_recorded')])
  return eb(column, '=', value)
}

function pastDeadlineUnaddressed(eb: Eb, now: Date): Expression<SqlBool> {
  return eb.and([eb('c.addressed_at', 'is', null), eb('c.due_at', '<', now)])
}

function predicate(eb: Eb, filter: CaseListFilter, now: Date): Expression<SqlBool> {
  const { range, value } = filter
  const received = within(eb, 'f.received_on', range)
  const decided = eb.and([eb('f.addressed_on', 'is not', null), within(eb, 'f.addressed_on', range)])
  const closed = eb.and([eb('f.closed_on', 'is not', null), within(eb, 'f.closed_on', range)])
  const adultClosed = eb.and([closed, eb('f.is_adult', '=', true)])
  const v = value ?? ''
  switch (filter.measure) {
    case 'received':
      return received
    case 'received.service':
      return eb.and([received, sql<SqlBool>`f.service_id::text = ${v}`])
    case 'received.at_risk':
      return eb.and([received, eb('f.at_risk', '=', v as never)])
    case 'received.type':
      return eb.and([received, sql<SqlBool>`${v} = ANY(f.types)`])
    case 'received.age':
      return eb.and([received, ageMatches(eb, value)])
    case 'received.location':
      return eb.and([received, eb('f.location', '=', v)])
    case 'addressed':
    case 'wd_to_address':
      return eb.and([received, eb('f.addressed_on', 'is not', null)])
    case 'within_target':
      return eb.and([received, eb('f.within_target', '=', true)])
    case 'target_counted':
      return eb.and([received, eb.or([eb('f.addressed_on', 'is not', null), pastDeadlineUnaddressed(eb, now)])])
    case 'missed_target':
      return eb.and([received, eb.or([eb('f.within_target', '=', false), pastDeadlineUnaddressed(eb, now)])])
    case 'decided':
      return eb.and([received, eb('f.decision', 'is not', null)])
    case 'decided_onward':
      return eb.and([received, eb('f.decision', '=', 'onward_referral')])
    case 'repeat':
      return eb.and([received, eb('f.is_repeat', '=', true)])
    case 'reopened':
      return eb.and([received, eb('f.reopened', '=', true)])
    case 'decision':
      return eb.and([decided, value === null ? eb('f.decision', 'is not', null) : eb('f.decision', '=', v as never)])
    case 'risk_level':
      return eb.and([decided, value === null ? eb('f.risk_level', 'is not', null) : eb('f.risk_level', '=', v as never)])
    case 'referral.agency':
      return eb.exists(
        eb
          .selectFrom('report_referral_fact as r')
          .select('r.referral_id')
          .whereRef('r.organisation_id', '=', 'f.organisation_id')
          .whereRef('r.concern_id', '=', 'f.concern_id')
          .where('r.made_on', '>=', range.from)
          .where('r.made_on', '<=', range.to)
          .$if(value !== null, (q) => q.where('r.agency', '=', v)),
      )
    case 'closed':
    case 'wd_to_close':
      return closed
    case 'closed.outcome':
      return eb.and([closed, orNotRecorded(eb, 'f.sac_outcome', value)])
    case 'adult_closed':
      return adultClosed
    case 'adult_closed.type':
      return eb.and([adultClosed, sql<SqlBool>`${v} = ANY(f.types)`, sql<SqlBool>`${v} LIKE 'adult:%'`])
    case 'adult_closed.location':
      return eb.and([adultClosed, eb('f.location', '=', v)])
    case 'adult_closed.source':
      return eb.and([adultClosed, orNotRecorded(eb, 'f.source_of_risk', value)])
    case 'adult_closed.outcome':
      return eb.and([adultClosed, orNotRecorded(eb, 'f.sac_outcome', value)])
    case 'adult_closed.risk_outcome':
      return eb.and([adultClosed, orNotRecorded(eb, 'f.risk_outcome', value)])
    case 'adult_closed.msp_asked':
      return eb.and([adultClosed, orNotRecorded(eb, 'f.msp_asked', value)])
    case 'adult_closed.msp_achieved':
      return eb.and([adultClosed, orNotRecorded(eb, 'f.msp_achieved', value)])
    case 'open_at_end':
      return eb.and([eb('f.received_on', '<=', range.to), eb.or([eb('f.closed_on', 'is', null), eb('f.closed_on', '>', range.to)])])
  }
}

function baseQuery(db: Executor, organisationId: string, userId: string, filter: CaseListFilter, now: Date) {
  return db
    .selectFrom('report_concern_fact as f')
    .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'f.organisation_id').onRef('c.id', '=', 'f.concern_id'))
    .innerJoin('service as s', (j) => j.onRef('s.organisation_id', '=', 'c.organisation_id').onRef('s.id', '=', 'c.referrer_service_id'))
    .where('f.organisation_id', '=', organisationId)
    .where(concernVisibleTo(userId))
    .where((eb) => predicate(eb as unknown as Eb, filter, now))
}

export interface CaseListRow {
  id: string
  reference: string
  received_at: Date
  addressed_at: Date | null
  closed_at: Date | null
  at_risk: string
  types: string[]
  service_name: string
  decision: string | null
  status: string
  restricted: boolean
  within_target: boolean | null
  is_repeat: boolean
}

/** One page of the list, newest first. One query, whatever the page size. */
export async function listCases(db: Executor, organisationId: string, userId: string, filter: CaseListFilter, now: Date, limit: number, offset: number): Promise<CaseListRow[]> {
  return baseQuery(db, organisationId, userId, filter, now)
    .select(['c.id', 'c.reference', 'c.received_at', 'c.addressed_at', 'c.closed_at', 'c.at_risk', 'f.types', 's.name as service_name', 'c.decision', 'c.status', 'c.restricted', 'f.within_target', 'f.is_repeat'])
    .orderBy('c.received_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function countCases(db: Executor, organisationId: string, userId: string, filter: CaseListFilter, now: Date): Promise<number> {
  const row = await baseQuery(db, organisationId, userId, filter, now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
