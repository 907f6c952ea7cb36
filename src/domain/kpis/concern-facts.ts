import { createHash } from 'node:crypto'
import type { AtRisk, Decision, RepeatBasis, RiskLevel } from '../../db/schema.js'
import { ageOn } from '../age.js'
import { dayZero, londonDate, type TargetRule } from '../working-days.js'
import type { WorkingDayCounter } from './working-day-counter.js'

/** What reporting needs to know about one concern (read from the concern and its links). */
export interface ConcernForFacts {
  id: string
  restricted: boolean
  received_at: Date
  due_at: Date
  addressed_at: Date | null
  closed_at: Date | null
  referrer_service_id: string
  at_risk: AtRisk
  person_name: string
  person_date_of_birth: string | null
  person_age_years: number | null
  person_postcode: string | null
  concern_types: string[]
  confirmed_types: string[] | null
  location: string
  source_of_risk: string | null
  decision: Decision | null
  risk_level: RiskLevel | null
  sac_outcome: string | null
  risk_outcome: string | null
  msp_asked: string | null
  msp_achieved: string | null
  reopened_count: number
  /** The subject's person-index record (after following merges), when the concern is linked to one. */
  person_id: string | null
  /** True for imported records that carried no name: they are never matched by name. */
  name_unknown: boolean
}

export interface ConcernFacts {
  concern_id: string
  restricted: boolean
  received_at: Date
  received_on: string
  addressed_on: string | null
  closed_on: string | null
  service_id: string
  at_risk: AtRisk
  is_adult: boolean
  age_years: number | null
  types: string[]
  location: string
  source_of_risk: string | null
  decision: Decision | null
  risk_level: RiskLevel | null
  within_target: boolean | null
  wd_to_address: number | null
  wd_to_close: number | null
  sac_outcome: string | null
  risk_outcome: string | null
  msp_asked: string | null
  msp_achieved: string | null
  reopened: boolean
  person_key: string | null
  repeat_basis: RepeatBasis | null
}

/** The types the DSO confirmed at the decision, or the referrer's until then. */
export function effectiveTypes(c: Pick<ConcernForFacts, 'concern_types' | 'confirmed_types'>): string[] {
  return [...new Set(c.confirmed_types && c.confirmed_types.length > 0 ? c.confirmed_types : c.concern_types)]
}

/** An adult concern for the Safeguarding Adults Collection: about an adult, or with an adult type of concern. */
export function isAdultConcern(atRisk: AtRisk, types: readonly string[]): boolean {
  return atRisk === 'adult' || types.some((t) => t.startsWith('adult:'))
}

/** Age in whole years on the day the concern arrived; null for an unborn child or when not known. */
export function ageAtReceipt(c: Pick<ConcernForFacts, 'at_risk' | 'person_date_of_birth' | 'person_age_years'>, receivedOn: string): number | null {
  if (c.at_risk === 'unborn') return null
  if (c.person_date_of_birth) return Math.max(0, ageOn(c.person_date_of_birth, receivedOn))
  return c.person_age_years
}

/** Names compared ignoring case, accents, punctuation and spacing. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/**
 * Who a concern is about, for counting repeat concerns. The person index decides when the
 * concern is linked to it; otherwise the same name with the same date of birth, or (with no date
 * of birth) the same name at the same postcode. Stored as a hash: reporting tables hold no names.
 */
export function personKey(c: Pick<ConcernForFacts, 'person_id' | 'person_name' | 'person_date_of_birth' | 'person_postcode' | 'name_unknown'>): { key: string; basis: RepeatBasis } | null {
  if (c.person_id) return { key: hash(`person:${c.person_id}`), basis: 'person_index' }
  const name = c.name_unknown ? '' : normaliseName(c.person_name)
  if (!name) return null
  if (c.person_date_of_birth) return { key: hash(`name-dob:${name}|${c.person_date_of_birth}`), basis: 'name_and_date_of_birth' }
  const postcode = c.person_postcode?.replace(/\s+/g, '').toUpperCase()
  if (postcode) return { key: hash(`name-postcode:${name}|${postcode}`), basis: 'name_and_postcode' }
  return null
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32)
}

/** The derived values reports count. `is_repeat` is decided afterwards, across concerns. */
export function concernFacts(c: ConcernForFacts, rule: TargetRule, counter: WorkingDayCounter): ConcernFacts {
  const receivedOn = londonDate(c.received_at)
  const start = dayZero(c.received_at, rule)
  const addressedOn = c.addressed_at ? londonDate(c.addressed_at) : null
  const closedOn = c.closed_at ? londonDate(c.closed_at) : null
  const types = effectiveTypes(c)
  const who = personKey(c)
  return {
    concern_id: c.id,
    restricted: c.restricted,
    received_at: c.received_at,
    received_on: receivedOn,
    addressed_on: addressedOn,
    closed_on: closedOn,
    service_id: c.referrer_service_id,
    at_risk: c.at_risk,
    is_adult: isAdultConcern(c.at_risk, types),
    age_years: ageAtReceipt(c, receivedOn),
    types,
    location: c.location,
    source_of_risk: c.source_of_risk,
    decision: c.decision,
    risk_level: c.risk_level,
    within_target: c.addressed_at ? c.addressed_at.getTime() <= c.due_at.getTime() : null,
    wd_to_address: addressedOn ? counter.between(start, addressedOn) : null,
    wd_to_close: closedOn ? counter.between(start, closedOn) : null,
    sac_outcome: c.sac_outcome,
    risk_outcome: c.risk_outcome,
    msp_asked: c.msp_asked,
    msp_achieved: c.msp_achieved,
    reopened: c.reopened_count > 0,
    person_key: who?.key ?? null,
    repeat_basis: who?.basis ?? null,
  }
}

/** The calendar span a batch of concerns needs for working-day counts. */
export function calendarSpan(concerns: readonly Pick<ConcernForFacts, 'received_at' | 'addressed_at' | 'closed_at'>[]): { from: string; to: string } | null {
  let from: string | null = null
  let to: string | null = null
  for (const c of concerns) {
    for (const d of [c.received_at, c.addressed_at, c.closed_at]) {
      if (!d) continue
      const day = londonDate(d)
      if (from === null || day < from) from = day
      if (to === null || day > to) to = day
    }
  }
  return from && to ? { from, to } : null
}
