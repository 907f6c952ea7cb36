import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { atLondonTime, londonTime, parseTimeOfDay } from './time-of-day.js'

describe('times of day typed into forms', () => {
  it('reads 24-hour and 12-hour times', () => {
    assert.equal(parseTimeOfDay('14:30'), 14 * 60 + 30)
    assert.equal(parseTimeOfDay('9.05'), 9 * 60 + 5)
    assert.equal(parseTimeOfDay('2:30pm'), 14 * 60 + 30)
    assert.equal(parseTimeOfDay('12am'), 0)
    assert.equal(parseTimeOfDay('12 pm'), 12 * 60)
  })
  it('refuses what is not a time', () => {
    for (const t of ['', '25:00', '14:60', '14', 'noon', '13pm']) assert.equal(parseTimeOfDay(t), undefined, t)
  })
  it('places London times on the right instant in summer and winter', () => {
    assert.equal(atLondonTime('2026-07-01', 9 * 60).toISOString(), '2026-07-01T08:00:00.000Z')
    assert.equal(atLondonTime('2026-01-15', 9 * 60).toISOString(), '2026-01-15T09:00:00.000Z')
    assert.equal(londonTime(new Date('2026-07-01T08:00:00Z')), '09:00')
  })
  it('reads a time on the days the clocks change as the clock showed it', () => {
    // Clocks went forward at 01:00 on 29 March 2026 and back at 02:00 on 25 October 2026.
    assert.equal(atLondonTime('2026-03-29', 14 * 60).toISOString(), '2026-03-29T13:00:00.000Z')
    assert.equal(atLondonTime('2026-10-25', 14 * 60).toISOString(), '2026-10-25T14:00:00.000Z')
    for (const date of ['2026-03-29', '2026-10-25']) for (const minutes of [0, 30, 3 * 60, 9 * 60 + 15, 23 * 60 + 59]) {
      const typed = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
      assert.equal(londonTime(atLondonTime(date, minutes)), typed, `${date} ${typed}`)
    }
  })
})
