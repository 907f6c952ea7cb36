import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import holidays from '../db/reference/bank-holidays-england-and-wales.json' with { type: 'json' }
import {
  computeDeadline,
  deadlineDate,
  describeTimeLeft,
  isWorkingDay,
  londonDate,
  timeLeft,
} from './working-days.js'

const bankHolidays = new Set(holidays.events.map((e) => e.date))
const rule = { targetDays: 2 }

function deadline(receivedIso: string, r = rule, nonWorking: ReadonlySet<string> = bankHolidays) {
  return computeDeadline(new Date(receivedIso), r, nonWorking)
}

describe('the two-working-day deadline (domain.md examples)', () => {
  it('received Monday 10:00 is due at the end of Wednesday', () => {
    // Mon 6 Feb 2023, GMT
    assert.equal(deadline('2023-02-06T10:00:00Z').toISOString(), '2023-02-08T23:59:59.999Z')
  })

  it('received Friday 16:00 is due at the end of Tuesday', () => {
    assert.equal(deadlineDate(new Date('2023-02-10T16:00:00Z'), rule, bankHolidays), '2023-02-14')
  })

  it('received on a Saturday is due at the end of Tuesday', () => {
    assert.equal(deadlineDate(new Date('2023-02-11T09:30:00Z'), rule, bankHolidays), '2023-02-14')
  })

  it('received Thursday 22 December 2022 is due at the end of Wednesday 28 December (26 and 27 were bank holidays)', () => {
    assert.equal(deadline('2022-12-22T11:00:00Z').toISOString(), '2022-12-28T23:59:59.999Z')
  })

  it('uses the London date, not the UTC date, for a receipt just after midnight in summer', () => {
    // 23:30 UTC on Sunday 2 July 2023 is 00:30 on Monday 3 July in London
    assert.equal(londonDate(new Date('2023-07-02T23:30:00Z')), '2023-07-03')
    assert.equal(deadlineDate(new Date('2023-07-02T23:30:00Z'), rule, bankHolidays), '2023-07-05')
  })

  it('ends the deadline day at 23:59:59 London time in British Summer Time', () => {
    // Mon 5 June 2023 → Wed 7 June, 23:59:59.999 BST = 22:59:59.999 UTC
    assert.equal(deadline('2023-06-05T09:00:00Z').toISOString(), '2023-06-07T22:59:59.999Z')
  })

  it('treats an organisation closure day like a bank holiday', () => {
    const closures = new Set([...bankHolidays, '2023-02-08'])
    assert.equal(deadlineDate(new Date('2023-02-06T10:00:00Z'), rule, closures), '2023-02-09')
  })

  it('counts a concern received after the cut-off time as received the next day', () => {
    const withCutOff = { targetDays: 2, cutOffTime: '17:00' }
    assert.equal(deadlineDate(new Date('2023-02-06T16:59:00Z'), withCutOff, bankHolidays), '2023-02-08')
    assert.equal(deadlineDate(new Date('2023-02-06T17:00:00Z'), withCutOff, bankHolidays), '2023-02-09')
    // Friday after the cut-off: day 0 is Saturday, so days 1 and 2 are Monday and Tuesday
    assert.equal(deadlineDate(new Date('2023-02-10T17:30:00Z'), withCutOff, bankHolidays), '2023-02-14')
  })

  it('honours a different number of target days', () => {
    assert.equal(deadlineDate(new Date('2023-02-06T10:00:00Z'), { targetDays: 5 }, bankHolidays), '2023-02-13')
  })

  it('is right across the spring clock change (Sunday 26 March 2023)', () => {
    // Friday 24 March 2023, GMT → due Tuesday 28 March, BST
    assert.equal(deadline('2023-03-24T15:00:00Z').toISOString(), '2023-03-28T22:59:59.999Z')
  })

  it('is right across the autumn clock change (Sunday 29 October 2023)', () => {
    // Friday 27 October 2023, BST → due Tuesday 31 October, GMT
    assert.equal(deadline('2023-10-27T15:00:00Z').toISOString(), '2023-10-31T23:59:59.999Z')
  })
})

describe('time left on the clock', () => {
  const due = deadline('2023-02-06T10:00:00Z') // end of Wed 8 Feb
  it('shows working days left before the deadline day', () => {
    const t = timeLeft(new Date('2023-02-06T12:00:00Z'), due, bankHolidays)
    assert.equal(t.state, 'on_track')
    assert.equal(t.workingDaysLeft, 2)
    assert.equal(describeTimeLeft(t), '2 working days left')
  })
  it('shows hours left on the deadline day', () => {
    const t = timeLeft(new Date('2023-02-08T14:00:00Z'), due, bankHolidays)
    assert.equal(t.state, 'due_today')
    assert.equal(t.hoursLeft, 9)
    assert.equal(describeTimeLeft(t), 'Due today (9 hours left)')
  })
  it('shows working days overdue once breached, skipping weekends', () => {
    const t = timeLeft(new Date('2023-02-13T09:00:00Z'), due, bankHolidays) // Monday after
    assert.equal(t.state, 'overdue')
    assert.equal(t.workingDaysOverdue, 3) // Thu, Fri, Mon
    assert.equal(describeTimeLeft(t), 'Overdue by 3 working days')
  })
  it('is overdue from the first moment after the deadline', () => {
    const t = timeLeft(new Date(due.getTime() + 1), due, bankHolidays)
    assert.equal(t.state, 'overdue')
    assert.equal(t.workingDaysOverdue, 1)
  })
})

describe('deadline properties', () => {
  // Receipt instants from 2015 to 2029, where the bank holiday list is authoritative or projected.
  const instants = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2029-12-01T00:00:00Z'), noInvalidDate: true })
  const cutOff = fc.option(fc.constantFrom('09:00', '12:30', '17:00', '23:59'), { nil: null })

  it('never falls on a weekend, bank holiday or closure day', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 10 }), cutOff, (receivedAt, targetDays, cutOffTime) => {
        const date = deadlineDate(receivedAt, { targetDays, cutOffTime }, bankHolidays)
        assert.ok(isWorkingDay(date, bankHolidays), `${date} is not a working day`)
      }),
      { numRuns: 500 },
    )
  })

  it('is monotonic in the receipt time', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 10 * 24 * 3600 * 1000 }), cutOff, (a, gapMs, cutOffTime) => {
        const b = new Date(a.getTime() + gapMs)
        const r = { targetDays: 2, cutOffTime }
        assert.ok(computeDeadline(a, r, bankHolidays) <= computeDeadline(b, r, bankHolidays))
      }),
      { numRuns: 500 },
    )
  })

  it('always ends at 23:59:59.999 London time on its date, whatever the clock change', () => {
    fc.assert(
      fc.property(instants, (receivedAt) => {
        const due = computeDeadline(receivedAt, rule, bankHolidays)
        const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(due)
        assert.equal(london, '23:59:59')
        assert.equal(londonDate(due), deadlineDate(receivedAt, rule, bankHolidays))
      }),
      { numRuns: 500 },
    )
  })

  it('leaves exactly the target number of working days between day 0 and the deadline', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 10 }), (receivedAt, targetDays) => {
        const day0 = londonDate(receivedAt)
        const date = deadlineDate(receivedAt, { targetDays }, bankHolidays)
        let count = 0
        for (let d = new Date(`${day0}T12:00:00Z`); londonDate(d) < date; ) {
          d = new Date(d.getTime() + 86_400_000)
          if (isWorkingDay(londonDate(d), bankHolidays)) count++
        }
        assert.equal(count, targetDays)
      }),
      { numRuns: 300 },
    )
  })
})
