import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { calendarSpan, concernFacts, type ConcernFacts } from '../domain/kpis/concern-facts.js'
import { WorkingDayCounter } from '../domain/kpis/working-day-counter.js'
import { NAME_NOT_RECORDED } from '../domain/import/import-columns.js'
import { addCalendarDays, londonDate } from '../domain/working-days.js'
import { nonWorkingDates } from '../repositories/calendar-repository.js'
import type { Executor } from '../repositories/executor.js'
import {
  analyzeReportTables,
  countStale,
  deleteStaleConcerns,
  deleteStaleDays,
  existingFacts,
  existingReferralDays,
  loadConcernsForFacts,
  loadReferralsForFacts,
  lockRefresh,
  markDaysStale,
  markFollowingConcernsStale,
  markRefreshed,
  rebuildDailyCounts,
  replaceReferralFacts,
  takeStaleConcerns,
  takeStaleDays,
  updateRepeatFlags,
  upsertFacts,
} from '../repositories/report-fact-repository.js'
import { yieldBetweenQueries } from '../db/yield-between-queries.js'
import { organisationRule } from './concern-clock.js'

export interface RefreshOptions {
  /** Concerns per transaction (default 250 embedded, 4,000 on PostgreSQL). */
  concernBatch?: number
  /** Days of counts rebuilt per transaction (default 31 embedded, 120 on PostgreSQL: a month's counts are rebuilt once, not twice). */
  dayBatch?: number
  /** On the embedded database, let other requests run between the queries of each step. */
  embedded?: boolean
  /** Fresh planner statistics once a refresh has rebuilt this many concerns (then at each doubling). */
  analyzeAfterConcerns?: number
}

export interface RefreshResult {
  concerns: number
  days: number
}

/**
 * Brings an organisation's report facts and daily counts up to date with its concerns. Work is
 * done in small transactions, so on the embedded database no single step stalls other requests
 * for long, and a crash part-way leaves the remaining work queued, never lost.
 */
export async function refreshReports(db: Kysely<DB>, organisationId: string, now: Date, options: RefreshOptions = {}): Promise<RefreshResult> {
  // On the embedded database a step holds the only thread: small steps. On PostgreSQL large ones:
  // each step's fixed cost (the queue's head, index descents) outweighs the rows (100,000 imported
  // concerns: 23 s in steps of 1,000, 12 s in steps of 4,000).
  const concernBatch = options.concernBatch ?? (options.embedded ? 250 : 4000)
  // A day's counts cost about 10 ms to rebuild at a million concerns on the embedded engine: twelve
  // days keep one step well under the 250 ms a report statement may hold the thread.
  const dayBatch = options.dayBatch ?? (options.embedded ? 12 : 120)
  let concerns = 0
  let days = 0
  // The usual case: nothing changed since the last look. One cheap read, no transaction.
  const waiting = await countStale(db, organisationId)
  if (waiting.concerns === 0 && waiting.days === 0) return { concerns: 0, days: 0 }
  const calendars = new CalendarCache(organisationId)
  const step = <T>(work: (tx: Executor) => Promise<T>) => db.transaction().execute((tx) => work(options.embedded ? tx.withPlugin(yieldBetweenQueries) : tx))
  // Statistics again each time the work done doubles (10,000, 20,000, 40,000 … concerns): a few
  // ANALYZEs in a large rebuild, none in the everyday refresh of a handful.
  const analyzeAfter = options.analyzeAfterConcerns ?? ANALYZE_AFTER_CONCERNS
  let analyzeAt = analyzeAfter
  for (;;) {
    const n = await step((tx) => refreshConcernBatch(tx, organisationId, concernBatch, calendars))
    if (n === 0) break
    concerns += n
    if (concerns >= analyzeAt) {
      await analyzeReportTables(db, { embedded: options.embedded })
      analyzeAt *= 2
    }
  }
  for (;;) {
    const n = await step(async (tx) => {
      await lockRefresh(tx, organisationId)
      const batch = await takeStaleDays(tx, organisationId, dayBatch)
      await rebuildDailyCounts(tx, organisationId, batch)
      await deleteStaleDays(tx, organisationId, batch)
      if (batch.length > 0) await markRefreshed(tx, organisationId, now)
      return batch.length
    })
    if (n === 0) break
    days += n
  }
  if (concerns >= analyzeAfter) await analyzeReportTables(db, { finished: true, embedded: options.embedded })
  return { concerns, days }
}

const ANALYZE_AFTER_CONCERNS = 10_000

/**
 * Working-day counters for one refresh run: built once for the span the batches need, widened
 * when a batch reaches outside it (a run takes moments; a closure day added meanwhile queues its
 * concerns again through its trigger).
 */
export class CalendarCache {
  private counter: WorkingDayCounter | undefined
  constructor(readonly organisationId: string) {}

  async covering(tx: Executor, span: { from: string; to: string }): Promise<WorkingDayCounter> {
    // Day zero can be the day after receipt (cut-off time), so the calendar runs a little past the span.
    const from = addCalendarDays(span.from, -1)
    const to = addCalendarDays(span.to, 7)
    if (this.counter && this.counter.covers(from) && this.counter.covers(to)) return this.counter
    const wideFrom = this.counter && this.counter.from < from ? this.counter.from : addCalendarDays(from, -366)
    const wideTo = this.counter && this.counter.to > to ? this.counter.to : addCalendarDays(to, 366)
    this.counter = new WorkingDayCounter(wideFrom, wideTo, await nonWorkingDates(tx, this.organisationId, wideFrom, wideTo))
    return this.counter
  }
}

/** Rebuilds the facts of up to `limit` queued concerns and queues the days whose counts they touch. */
export async function refreshConcernBatch(tx: Executor, organisationId: string, limit: number, calendars = new CalendarCache(organisationId)): Promise<number> {
  await lockRefresh(tx, organisationId)
  const taken = await takeStaleConcerns(tx, organisationId, limit)
  if (taken.length === 0) return 0
  const ids = taken.map((t) => t.concern_id)
  const [concerns, referrals, old, oldReferralDays, rule] = [
    await loadConcernsForFacts(tx, organisationId, ids),
    await loadReferralsForFacts(tx, organisationId, ids),
    await existingFacts(tx, organisationId, ids),
    await existingReferralDays(tx, organisationId, ids),
    await organisationRule(tx, organisationId),
  ]
  const facts: ConcernFacts[] = []
  const span = calendarSpan(concerns)
  if (span) {
    const counter = await calendars.covering(tx, span)
    for (const c of concerns) facts.push(concernFacts({ ...c, name_unknown: c.person_name === NAME_NOT_RECORDED }, rule, counter))
  }
  await upsertFacts(tx, organisationId, facts)

  const restricted = new Map(concerns.map((c) => [c.id, c.restricted]))
  const referralFacts = referrals.map((r) => ({ referral_id: r.id, concern_id: r.concern_id, restricted: restricted.get(r.concern_id) ?? false, agency: r.agency, made_on: londonDate(r.made_at) }))
  await replaceReferralFacts(tx, organisationId, ids, referralFacts)
  await updateRepeatFlags(tx, organisationId, ids)

  const before = new Map(old.map((o) => [o.concern_id, o]))
  const personChanges: { key: string; receivedAt: Date }[] = []
  for (const f of facts) {
    const o = before.get(f.concern_id)
    const moved = !o || o.person_key !== f.person_key || o.received_at.getTime() !== f.received_at.getTime()
    if (!moved) continue
    if (f.person_key) personChanges.push({ key: f.person_key, receivedAt: f.received_at })
    if (o?.person_key) personChanges.push({ key: o.person_key, receivedAt: o.received_at })
  }
  await markFollowingConcernsStale(tx, organisationId, personChanges, ids)

  const days = new Set<string>([...oldReferralDays, ...referralFacts.map((r) => r.made_on)])
  for (const f of [...old, ...facts]) for (const d of [f.received_on, f.addressed_on, f.closed_on]) if (d) days.add(d)
  await markDaysStale(tx, organisationId, [...days].sort())
  await deleteStaleConcerns(tx, organisationId, taken)
  return taken.length
}
