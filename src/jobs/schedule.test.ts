import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { firstRun, nextRunAfter } from './schedule.js'

describe('job schedules', () => {
  const daily = { kind: 'daily' as const, at: '07:00' }
  it('runs a daily job at the same London wall-clock time across the clock change', () => {
    // Saturday 28 March 2026 08:00 GMT → Sunday 29 March 07:00 BST (06:00 UTC).
    assert.equal(nextRunAfter(daily, new Date('2026-03-28T08:00:00Z')).toISOString(), '2026-03-29T06:00:00.000Z')
    assert.equal(nextRunAfter(daily, new Date('2026-03-28T06:59:00Z')).toISOString(), '2026-03-28T07:00:00.000Z')
  })
  it('runs an interval job every so many seconds', () => {
    assert.equal(nextRunAfter({ kind: 'every', seconds: 30 }, new Date('2026-03-09T10:00:00Z')).toISOString(), '2026-03-09T10:00:30.000Z')
  })
  it('on first start, still runs the morning job if started within five hours of its time', () => {
    assert.equal(firstRun(daily, new Date('2026-03-09T09:30:00Z')).toISOString(), '2026-03-09T07:00:00.000Z')
    assert.equal(firstRun(daily, new Date('2026-03-09T13:30:00Z')).toISOString(), '2026-03-10T07:00:00.000Z')
    assert.equal(firstRun(daily, new Date('2026-03-09T06:00:00Z')).toISOString(), '2026-03-09T07:00:00.000Z')
  })
})
