import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { reminderCounts } from './reminders.js'

describe('who the daily reminder goes to', () => {
  const today = '2026-03-10'
  const dueToday = new Date('2026-03-10T23:59:59.999Z')
  const overdue = new Date('2026-03-09T23:59:59.999Z')
  const later = new Date('2026-03-12T23:59:59.999Z')

  it('tells the Lead DSO about their concerns, the duty DSOs about unallocated ones, and the manager about all', () => {
    const counts = reminderCounts(today, [{ dueAt: dueToday, leadId: 'lead' }, { dueAt: overdue, leadId: null }, { dueAt: later, leadId: 'lead' }], [{ leadId: 'lead' }], ['duty'], ['manager'])
    assert.deepEqual(counts.get('lead'), { dueToday: 1, overdue: 0, followUpsOverdue: 1 })
    assert.deepEqual(counts.get('duty'), { dueToday: 0, overdue: 1, followUpsOverdue: 0 })
    assert.deepEqual(counts.get('manager'), { dueToday: 1, overdue: 1, followUpsOverdue: 1 })
  })

  it('counts a manager who is also the Lead once per concern', () => {
    const counts = reminderCounts(today, [{ dueAt: dueToday, leadId: 'manager' }], [], [], ['manager'])
    assert.deepEqual(counts.get('manager'), { dueToday: 1, overdue: 0, followUpsOverdue: 0 })
  })

  it('tells nobody when nothing is due', () => {
    assert.equal(reminderCounts(today, [{ dueAt: later, leadId: 'lead' }], [], ['duty'], ['manager']).size, 0)
  })

  it('counts a restricted case only for the people named on it', () => {
    const counts = reminderCounts(today, [{ dueAt: overdue, leadId: 'lead', namedIds: ['lead'] }], [{ leadId: 'lead', namedIds: ['lead', 'manager'] }], ['duty'], ['manager'])
    assert.deepEqual(counts.get('lead'), { dueToday: 0, overdue: 1, followUpsOverdue: 1 })
    assert.deepEqual(counts.get('manager'), { dueToday: 0, overdue: 0, followUpsOverdue: 1 })
  })
})
