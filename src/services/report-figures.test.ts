import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { Database } from '../db/connect.js'
import { countOf, valuesOf } from '../domain/kpis/figures.js'
import { yearPeriod } from '../domain/kpis/periods.js'
import { TestClock } from '../../test/helpers/clock.js'
import { createTestDatabase, engineName } from '../../test/helpers/database.js'
import { Factories, type TestOrganisation, type TestUser } from '../../test/helpers/factories.js'
import { makeConcern } from '../../test/helpers/report-fixtures.js'
import { countCases, listCases } from '../repositories/report-case-list-repository.js'
import { periodFigures } from './report-data.js'
import { refreshReports } from './report-refresh.js'

/**
 * Every KPI of domain.md "Performance indicators" on a small dataset built by hand, on a real
 * database, through the same refresh and queries the pages use. Edges: a concern received on
 * 31 March and addressed on 1 April; one addressed exactly at its deadline and one a millisecond
 * after; a restricted case counted only for the person allowed to see it.
 */
describe(`report figures on a hand-built dataset (${engineName})`, () => {
  let database: Database
  let factories: Factories
  let org: TestOrganisation
  let referrer: TestUser
  let manager: TestUser
  let namedOnRestricted: TestUser
  const ids: Record<string, string> = {}
  const now = new Date('2023-06-30T12:00:00Z')

  before(async () => {
    database = await createTestDatabase()
    const clock = new TestClock(now)
    factories = new Factories(database.db, clock)
    org = await factories.organisation()
    referrer = await factories.user(org, [])
    manager = await factories.user(org, ['safeguarding_manager'])
    namedOnRestricted = await factories.user(org, ['safeguarding_manager'])
    const [housing, customer, leisure] = org.services.map((s) => s.id) as [string, string, string]
    const db = database.db

    // 2021-22: received Thu 31 March 2022, addressed Fri 1 April 2022 (the next financial year).
    ids.yearEnd = await makeConcern(db, factories, referrer, { receivedAt: '2022-03-31T14:00:00+01:00', addressedAt: '2022-04-01T10:00:00+01:00', decision: 'onward_referral', referrals: [{ agency: 'Police', madeAt: '2022-04-01T10:30:00+01:00' }] })
    // 2022-23
    ids.a = await makeConcern(db, factories, referrer, {
      receivedAt: '2022-05-09T10:00:00+01:00', // Monday: due end of Wednesday 11 May
      personName: 'Margaret Ellis',
      dateOfBirth: '1942-01-10',
      types: ['adult:Financial or Material Abuse'],
      serviceId: housing,
      addressedAt: '2022-05-10T11:00:00+01:00',
      decision: 'onward_referral',
      riskLevel: 'medium',
      referrals: [{ agency: 'Adult Social Care', madeAt: '2022-05-10T11:30:00+01:00' }, { agency: 'Action Fraud', madeAt: '2022-05-11T09:00:00+01:00' }],
      closedAt: '2022-06-15T16:00:00+01:00',
      sacOutcome: 'risk_identified_action_taken',
      riskOutcome: 'risk_reduced',
      mspAsked: 'asked_expressed',
      mspAchieved: 'fully',
      sourceOfRisk: 'known_to_individual',
    })
    // Thu 22 Dec 2022: due end of Wed 28 Dec (26 and 27 Dec were bank holidays). One exactly at the deadline, one just after.
    ids.atDeadline = await makeConcern(db, factories, referrer, { receivedAt: '2022-12-22T10:00:00Z', atRisk: 'child', dateOfBirth: '2014-03-01', types: ['child:Neglect'], serviceId: customer, addressedAt: 'deadline', decision: 'advice_and_guidance', reopenedCount: 1 })
    ids.late = await makeConcern(db, factories, referrer, { receivedAt: '2022-12-22T11:00:00Z', atRisk: 'child', dateOfBirth: null, ageYears: 16, types: ['child:Online harm', 'child:Neglect'], serviceId: customer, addressedAt: 'after-deadline', decision: 'no_further_action' })
    ids.restricted = await makeConcern(db, factories, referrer, { receivedAt: '2022-06-01T09:00:00+01:00', serviceId: leisure, addressedAt: '2022-06-01T15:00:00+01:00', decision: 'onward_referral', restrictedTo: [namedOnRestricted], referrals: [{ agency: 'Police', madeAt: '2022-06-01T15:30:00+01:00' }] })
    // Never addressed: its deadline has passed, so it counts against the target.
    ids.waiting = await makeConcern(db, factories, referrer, { receivedAt: '2022-07-01T10:00:00+01:00', serviceId: housing })
    // The same person as A within 12 months: a repeat. A third, more than 12 months after both, is not.
    ids.repeat = await makeConcern(db, factories, referrer, { receivedAt: '2022-09-01T10:00:00+01:00', personName: 'margaret  ELLIS', dateOfBirth: '1942-01-10', serviceId: housing, addressedAt: '2022-09-01T12:00:00+01:00', decision: 'onward_referral', referrals: [{ agency: 'Adult Social Care', madeAt: '2022-09-01T12:30:00+01:00' }] })
    ids.notRepeat = await makeConcern(db, factories, referrer, { receivedAt: '2023-10-02T10:00:00+01:00', personName: 'Margaret Ellis', dateOfBirth: '1942-01-10', serviceId: housing })
    await refreshReports(db, org.id, now)
  })
  after(() => database.close())

  const as = (user: TestUser) => factories.context(user)
  const figures = (user: TestUser, fy: number) => database.db.transaction().execute((tx) => periodFigures(tx, as(user), yearPeriod(fy)))

  it('counts referrals received on the date received, in London, whatever happened next', async () => {
    assert.equal((await figures(manager, 2021)).headline.received, 1, '31 March 2022 belongs to 2021-22')
    const fy22 = await figures(manager, 2022)
    // a, atDeadline, late, waiting, repeat (the restricted case is invisible to this manager)
    assert.equal(fy22.headline.received, 5)
  })

  it('counts a restricted case only for the people allowed to see it', async () => {
    const allowed = await figures(namedOnRestricted, 2022)
    const other = await figures(manager, 2022)
    assert.equal(allowed.headline.received, other.headline.received + 1)
    assert.equal(allowed.headline.onwardReferral.n, other.headline.onwardReferral.n + 1)
    assert.equal(countOf(allowed.counts, 'received.service', org.services[2]!.id), 1)
    assert.equal(countOf(other.counts, 'received.service', org.services[2]!.id), 0)
    assert.equal(countOf(allowed.counts, 'referral.agency', 'Police'), countOf(other.counts, 'referral.agency', 'Police') + 1)
    // …and in the lists behind the figures
    const filter = { measure: 'received' as const, value: null, range: yearPeriod(2022) }
    assert.equal(await countCases(database.db, org.id, manager.id, filter, now), 5)
    assert.equal(await countCases(database.db, org.id, namedOnRestricted.id, filter, now), 6)
    const rows = await listCases(database.db, org.id, manager.id, filter, now, 50, 0)
    assert.ok(!rows.some((r) => r.id === ids.restricted))
  })

  it('judges the working-day target: exactly at the deadline is within it, a millisecond later is not, and a passed deadline with no decision counts as missed', async () => {
    const { headline } = await figures(manager, 2022)
    // Counted: a, atDeadline, late, repeat (addressed) + waiting (deadline passed). Within: a, atDeadline, repeat.
    assert.deepEqual(headline.withinTarget, { n: 3, of: 5, percent: 60 })
    const missed = await listCases(database.db, org.id, manager.id, { measure: 'missed_target', value: null, range: yearPeriod(2022) }, now, 50, 0)
    assert.deepEqual(missed.map((r) => r.id).sort(), [ids.late, ids.waiting].sort())
  })

  it('gives the onward-referral rate of the concerns received in the year that have a decision', async () => {
    // 2022-23: a, repeat → onward; atDeadline advice; late NFA; waiting has no decision.
    assert.deepEqual((await figures(manager, 2022)).headline.onwardReferral, { n: 2, of: 4, percent: 50 })
    // 2021-22: the 31 March concern, decided on 1 April, belongs to the year it was received.
    assert.deepEqual((await figures(manager, 2021)).headline.onwardReferral, { n: 1, of: 1, percent: 100 })
  })

  it('counts decisions on the decision date and onward referrals on the date made', async () => {
    const fy22 = await figures(manager, 2022)
    assert.equal(countOf(fy22.counts, 'decision', 'onward_referral'), 3, 'a, repeat, and the 31 March concern decided on 1 April')
    assert.equal(countOf((await figures(manager, 2021)).counts, 'decision', 'onward_referral'), 0)
    assert.equal(countOf(fy22.counts, 'referral.agency', 'Police'), 1)
    assert.equal(countOf(fy22.counts, 'referral.agency', 'Adult Social Care'), 2)
    assert.equal(fy22.headline.onwardReferralsMade, 4)
  })

  it('counts referring services, types (each concern once in the total), who is at risk and age at receipt', async () => {
    const { headline, counts } = await figures(manager, 2022)
    assert.equal(headline.referringServices, 2)
    assert.equal(countOf(counts, 'received.type', 'child:Neglect'), 2)
    assert.equal(countOf(counts, 'received.type', 'child:Online harm'), 1)
    assert.equal(countOf(counts, 'received.at_risk', 'child'), 2)
    const ages = valuesOf(counts, 'received.age')
    assert.equal(ages.get('80'), 2, 'Margaret Ellis was 80 when both concerns arrived')
    assert.equal(ages.get('8'), 1)
    assert.equal(ages.get('16'), 1, 'an approximate age is used when there is no date of birth')
  })

  it('finds repeat concerns about the same person within 12 months, matching names loosely', async () => {
    assert.deepEqual((await figures(manager, 2022)).headline.repeat.n, 1)
    assert.equal((await figures(manager, 2023)).headline.repeat.n, 0, 'more than 12 months after the last one')
    const repeats = await listCases(database.db, org.id, manager.id, { measure: 'repeat', value: null, range: yearPeriod(2022) }, now, 50, 0)
    assert.deepEqual(repeats.map((r) => r.id), [ids.repeat])
  })

  it('gives the open caseload at the end of the period, medians in working days and reopened cases', async () => {
    const fy21 = await figures(manager, 2021)
    assert.equal(fy21.headline.openAtEnd, 1, 'the 31 March concern was open on 31 March')
    const fy22 = await figures(manager, 2022)
    // Open on 31 March 2023: everything received by then except A (closed in June 2022): the 31 March 2022 one, atDeadline, late, waiting, repeat.
    assert.equal(fy22.headline.openAtEnd, 5)
    // Working days to address: repeat 0, a 1, atDeadline 2 (Fri 23 and Wed 28 Dec: 26 and 27 were bank holidays), late 3.
    assert.equal(fy22.headline.medianDaysToAddress, 1.5)
    assert.equal(fy22.headline.closed, 1)
    // A: received Mon 9 May, closed Wed 15 June: 25 working days (2 and 3 June 2022 were bank holidays).
    assert.equal(fy22.headline.medianDaysToClose, 25)
    assert.equal(fy22.headline.reopened, 1)
  })

  it('keeps the Safeguarding Adults Collection measures for closed adult cases', async () => {
    const { counts } = await figures(manager, 2022)
    assert.equal(countOf(counts, 'adult_closed'), 1)
    assert.equal(countOf(counts, 'adult_closed.type', 'adult:Financial or Material Abuse'), 1)
    assert.equal(countOf(counts, 'adult_closed.source', 'known_to_individual'), 1)
    assert.equal(countOf(counts, 'adult_closed.outcome', 'risk_identified_action_taken'), 1)
    assert.equal(countOf(counts, 'adult_closed.risk_outcome', 'risk_reduced'), 1)
    assert.equal(countOf(counts, 'adult_closed.msp_asked', 'asked_expressed'), 1)
    assert.equal(countOf(counts, 'adult_closed.msp_achieved', 'fully'), 1)
  })

  it('follows changes made after the first count: a decision recorded later moves the figures', async () => {
    await database.db.updateTable('concern').set({ addressed_at: new Date('2022-07-06T10:00:00+01:00'), decision: 'onward_referral', decision_rationale: 'Late decision', status: 'open' }).where('id', '=', ids.waiting!).execute()
    await refreshReports(database.db, org.id, now)
    const { headline } = await figures(manager, 2022)
    assert.deepEqual(headline.withinTarget, { n: 3, of: 5, percent: 60 }, 'still missed, now addressed late')
    assert.deepEqual(headline.onwardReferral, { n: 3, of: 5, percent: 60 })
  })

  it('brings the planner statistics of the report tables up to date after a large refresh', async () => {
    // Every concern queued again, as a first build or an import queues them; the threshold
    // (10,000 concerns in use) is lowered so this dataset reaches it.
    await sql`UPDATE concern SET reopened_count = reopened_count WHERE organisation_id = ${org.id}`.execute(database.db)
    const result = await refreshReports(database.db, org.id, now, { analyzeAfterConcerns: 5, embedded: database.engine === 'pglite' })
    assert.ok(result.concerns >= 5)
    const facts = await database.db.selectFrom('report_concern_fact').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const stats = await sql<{ reltuples: number }>`SELECT reltuples::int AS reltuples FROM pg_class WHERE relname = 'report_concern_fact'`.execute(database.db)
    assert.equal(stats.rows[0]!.reltuples, Number(facts.n), 'the planner knows how many facts there are')
  })
})
