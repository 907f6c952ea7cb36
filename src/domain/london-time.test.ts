import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { DateTime } from 'luxon'
import { londonInstant, londonWallClock } from './london-time.js'

// luxon (through Intl's time-zone data) is the reference: the fast path must agree with it.
const LONDON = 'Europe/London'
const instants = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true })

describe('London wall-clock time', () => {
  it('shows what a London clock showed at any instant from 1900 to 2100', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        const expected = DateTime.fromJSDate(instant, { zone: LONDON })
        const actual = londonWallClock(instant)
        assert.deepEqual(actual, { date: expected.toISODate(), year: expected.year, month: expected.month, day: expected.day, hour: expected.hour, minute: expected.minute })
      }),
      { numRuns: 5000 },
    )
  })

  it('is right either side of the clock changes', () => {
    // 01:00 UTC on the last Sunday of March and of October 2026.
    assert.deepEqual(londonWallClock(new Date('2026-03-29T00:59:59Z')), { date: '2026-03-29', year: 2026, month: 3, day: 29, hour: 0, minute: 59 })
    assert.deepEqual(londonWallClock(new Date('2026-03-29T01:00:00Z')), { date: '2026-03-29', year: 2026, month: 3, day: 29, hour: 2, minute: 0 })
    assert.deepEqual(londonWallClock(new Date('2026-10-25T00:59:59Z')), { date: '2026-10-25', year: 2026, month: 10, day: 25, hour: 1, minute: 59 })
    assert.deepEqual(londonWallClock(new Date('2026-10-25T01:00:00Z')), { date: '2026-10-25', year: 2026, month: 10, day: 25, hour: 1, minute: 0 })
    // Late evening in summer is already the next day in London.
    assert.equal(londonWallClock(new Date('2026-06-30T23:30:00Z')).date, '2026-07-01')
  })

  it('turns any London date and time back into the instant luxon gives', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (day, hour, minute) => {
        const date = day.toISOString().slice(0, 10)
        const expected = DateTime.fromISO(date, { zone: LONDON }).set({ hour, minute })
        // Where the clocks change luxon's answer depends on today's date: those hours are below.
        const shows = (d: DateTime) => d.setZone(LONDON).toFormat('yyyy-MM-dd HH:mm')
        const changing = [-1, 1].some((h) => shows(expected.plus({ hours: h })) === shows(expected)) || expected.hour !== hour
        fc.pre(!changing)
        assert.equal(londonInstant(date, hour, minute).toISOString(), expected.toJSDate().toISOString())
      }),
      { numRuns: 5000 },
    )
    assert.equal(londonInstant('2026-11-24', 23, 59, 59, 999).toISOString(), '2026-11-24T23:59:59.999Z')
    assert.equal(londonInstant('2026-07-01', 0, 0).toISOString(), '2026-06-30T23:00:00.000Z')
  })

  it('reads the repeated hour in October as the first, and the skipped hour in March on the winter clock', () => {
    assert.equal(londonInstant('2026-10-25', 1, 30).toISOString(), '2026-10-25T00:30:00.000Z', '01:30 summer time')
    assert.equal(londonInstant('2026-10-25', 2, 0).toISOString(), '2026-10-25T02:00:00.000Z', 'after the change')
    assert.equal(londonInstant('2026-03-29', 1, 30).toISOString(), '2026-03-29T01:30:00.000Z', 'shown as 02:30 summer time')
    assert.equal(londonInstant('2026-03-29', 2, 0).toISOString(), '2026-03-29T01:00:00.000Z')
    assert.equal(londonInstant('1917-09-17', 2, 0).toISOString(), '1917-09-17T01:00:00.000Z', 'a change at 02:00 GMT, as the clocks were then')
  })

  it('refuses what is not a calendar date', () => {
    assert.throws(() => londonInstant('2026-02-30x'), RangeError)
  })
})
