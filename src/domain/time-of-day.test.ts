import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { londonInstant, londonTime, parseTimeOfDay } from './time-of-day.js'

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
    assert.equal(londonInstant('2026-07-01', 9 * 60).toISOString(), '2026-07-01T08:00:00.000Z')
    assert.equal(londonInstant('2026-01-15', 9 * 60).toISOString(), '2026-01-15T09:00:00.000Z')
    assert.equal(londonTime(new Date('2026-07-01T08:00:00Z')), '09:00')
  })
})
