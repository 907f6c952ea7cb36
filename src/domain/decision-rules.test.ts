import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import holidays from '../db/reference/bank-holidays-england-and-wales.json' with { type: 'json' }
import { decisionProblems, isLate } from './decision-rules.js'
import { computeDeadline, isWithinTarget, timeLeft } from './working-days.js'

const bankHolidays = new Set(holidays.events.map((e) => e.date))

describe('the initial decision and the clock', () => {
  // Thursday 22 December 2022, 11:00 (GMT). 23 Dec is day 1; 26 and 27 Dec are bank holidays; 28 Dec is day 2.
  const receivedAt = new Date('2022-12-22T11:00:00Z')
  const dueAt = computeDeadline(receivedAt, { targetDays: 2 }, bankHolidays)
  const confirmed = { dueAt, allocatedAt: new Date('2022-12-22T12:00:00Z'), secondAgreedAt: new Date('2022-12-22T13:00:00Z'), secondAgreementMethod: 'confirmed_in_kestrel' as const }

  it('a concern received on Thu 22 Dec 2022 is due at the end of Wed 28 Dec 2022', () => {
    assert.equal(dueAt.toISOString(), '2022-12-28T23:59:59.999Z')
  })

  it('a decision on 28 Dec is within target and needs no delay reason', () => {
    const now = new Date('2022-12-28T22:30:00Z')
    assert.equal(isLate(now, dueAt), false)
    assert.equal(isWithinTarget(now, dueAt), true)
    assert.equal(timeLeft(now, dueAt, bankHolidays).state, 'due_today')
    assert.deepEqual(decisionProblems(confirmed, { delayReason: null, agreement: { kind: 'confirmed_in_kestrel' } }, now), [])
  })

  it('a decision on Thu 29 Dec breaches the target and requires a reason for the delay', () => {
    const now = new Date('2022-12-29T09:00:00Z')
    assert.equal(isWithinTarget(now, dueAt), false)
    assert.equal(timeLeft(now, dueAt, bankHolidays).state, 'overdue')
    assert.deepEqual(decisionProblems(confirmed, { delayReason: null, agreement: { kind: 'confirmed_in_kestrel' } }, now), [{ field: 'delayReason', message: 'Enter the reason the decision was made after the deadline' }])
    assert.deepEqual(decisionProblems(confirmed, { delayReason: 'Both duty DSOs were off sick', agreement: { kind: 'confirmed_in_kestrel' } }, now), [])
  })

  it('needs the Second DSO’s agreement: confirmed in Kestrel, or recorded by the Lead with when and how', () => {
    const now = new Date('2022-12-23T10:00:00Z')
    const unconfirmed = { ...confirmed, secondAgreedAt: null, secondAgreementMethod: null }
    assert.deepEqual(decisionProblems(unconfirmed, { delayReason: null, agreement: null }, now), [
      { field: 'agreement', message: 'Record when and how the Second DSO agreed, or ask them to confirm in Kestrel first' },
    ])
    assert.deepEqual(decisionProblems(unconfirmed, { delayReason: null, agreement: { kind: 'recorded_by_lead', agreedAt: new Date('2022-12-23T09:30:00Z'), how: 'By phone' } }, now), [])
    assert.equal(decisionProblems(unconfirmed, { delayReason: null, agreement: { kind: 'recorded_by_lead', agreedAt: new Date('2022-12-23T11:00:00Z'), how: 'By phone' } }, now)[0]!.field, 'agreedAt')
    assert.equal(decisionProblems(unconfirmed, { delayReason: null, agreement: { kind: 'recorded_by_lead', agreedAt: new Date('2022-12-21T11:00:00Z'), how: 'By phone' } }, now)[0]!.field, 'agreedAt')
  })
})
