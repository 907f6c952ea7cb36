import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { startTestApp, type TestApp } from '../../test/helpers/app.js'
import type { TestOrganisation, TestUser } from '../../test/helpers/factories.js'
import type { AtRisk } from '../db/schema.js'
import { retentionDue, type RetentionRules } from '../domain/retention.js'
import { londonDate } from '../domain/working-days.js'
import { newId } from '../ids.js'
import { dueRecords, insertLegalHold, retentionCounts } from './retention-repository.js'

/**
 * The review list works out due dates in SQL (so it can list and count them at any scale); the
 * case pages and the disposal itself use domain/retention.ts. Random cases, both engines: the two
 * must agree to the day.
 */
describe('retention due dates: SQL and the domain rule agree', () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let viewer: TestUser
  const rules: RetentionRules = { adultYearsAfterClosure: 6, childUntilAge: 25, childYearsAfterClosure: 7 }
  const expected = new Map<string, ReturnType<typeof retentionDue>>()

  const arbitraryCase = fc.record({
    atRisk: fc.constantFrom<AtRisk>('adult', 'child', 'unborn', 'household'),
    // Timestamps near midnight on both sides of the clock change, where London and UTC dates differ.
    received: fc.date({ min: new Date('2005-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 23, 30))),
    daysOpen: fc.integer({ min: 0, max: 900 }),
    dateOfBirth: fc.option(fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2004-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { nil: null }),
    age: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  })

  before(async () => {
    app = await startTestApp({ now: '2026-11-24T10:00:00Z' })
    org = await app.factories.organisation()
    referrer = await app.factories.user(org)
    viewer = await app.factories.user(org, ['senior_lead_officer'])
    const cases = fc.sample(arbitraryCase, { numRuns: 60, seed: 20261124 })
    cases.push({ atRisk: 'child', received: new Date('2012-02-29T12:00:00Z'), daysOpen: 0, dateOfBirth: '2008-02-29', age: null })
    for (const c of cases) {
      const { id } = await app.factories.concern(referrer, { atRisk: c.atRisk, personDateOfBirth: c.dateOfBirth, personAgeYears: c.dateOfBirth ? null : c.age })
      const closedAt = new Date(c.received.getTime() + c.daysOpen * 86_400_000)
      await app.database.db.updateTable('concern').set({ status: 'closed', received_at: c.received, closed_at: closedAt }).where('id', '=', id).execute()
      const receivedOn = londonDate(c.received)
      const age = c.dateOfBirth ? null : c.age
      expected.set(id, retentionDue({ at_risk: c.atRisk, received_on: receivedOn, closed_on: londonDate(closedAt), date_of_birth: c.dateOfBirth, age_at_receipt: age }, rules))
    }
  })
  after(() => app.stop())

  it('lists exactly the cases the domain says are due, on the same dates', async () => {
    const kinds: string[] = [...expected.values()].map((d) => (d.kind === 'due' ? (d.rule.startsWith('Adult') ? 'adult' : 'child') : d.kind))
    for (const kind of ['adult', 'child', 'unknown']) assert.ok(kinds.includes(kind), `the sample has a ${kind} case`)
    for (const today of ['2015-06-01', '2026-11-24', '2060-01-01']) {
      const listed = new Map((await dueRecords(app.database.db, org.id, viewer.id, rules, today, 1000)).map((r) => [r.id, r.due_on]))
      const due = [...expected].filter(([, d]) => d.kind === 'due' && d.on <= today).map(([id, d]) => [id, (d as { on: string }).on] as const)
      assert.deepEqual(new Map(due), listed, `on ${today}`)
      const counts = await retentionCounts(app.database.db, org.id, viewer.id, rules, today)
      assert.equal(counts.due, due.length)
    }
  })

  it('counts the child cases it cannot date, and leaves held cases out of the list', async () => {
    const counts = await retentionCounts(app.database.db, org.id, viewer.id, rules, '2200-01-01')
    assert.equal(counts.undatable, [...expected.values()].filter((d) => d.kind === 'unknown').length)
    const [first] = await dueRecords(app.database.db, org.id, viewer.id, rules, '2200-01-01', 1)
    await insertLegalHold(app.database.db, org.id, { id: newId(), concernId: first!.id, reason: 'Inquiry', by: viewer.id, at: new Date() })
    const after = await dueRecords(app.database.db, org.id, viewer.id, rules, '2200-01-01', 1000)
    assert.ok(!after.some((r) => r.id === first!.id))
    assert.equal((await retentionCounts(app.database.db, org.id, viewer.id, rules, '2200-01-01')).held, 1)
  })
})
