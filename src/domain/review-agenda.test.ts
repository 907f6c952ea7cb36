import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildAgenda, isInactive, meetingDateProblem, type AgendaCase } from './review-agenda.js'

const at = (iso: string) => new Date(iso)
let n = 0
function openCase(overrides: Partial<AgendaCase> = {}): AgendaCase {
  n++
  return {
    id: `case-${n}`,
    reference: `SG-2026-${String(n).padStart(5, '0')}`,
    status: 'open',
    addressedAt: at('2026-03-02T10:00:00Z'),
    readyForClosureAt: null,
    reviewed: true,
    finalReviewAgreed: false,
    lastActivityAt: at('2026-03-09T10:00:00Z'),
    overdueTasks: 0,
    overdueFollowUps: 0,
    ...overrides,
  }
}

// Meeting on Tuesday 10 March 2026; the last one was on Tuesday 3 March.
const options = { meetingDate: '2026-03-10', lastMeetingDate: '2026-03-03', today: '2026-03-10' }

describe('weekly case review agenda', () => {
  it('gives a case addressed since the last meeting a First Review', () => {
    const c = openCase({ addressedAt: at('2026-03-05T11:00:00Z'), reviewed: false })
    assert.deepEqual(buildAgenda([c], options), [{ concernId: c.id, kind: 'first_review', flags: [] }])
  })

  it('carries over a case whose First Review an earlier meeting did not record', () => {
    const c = openCase({ addressedAt: at('2026-02-20T11:00:00Z'), reviewed: false })
    assert.deepEqual(buildAgenda([c], options), [{ concernId: c.id, kind: 'first_review', flags: ['carried_over'] }])
  })

  it('checks the progress of every other open case, unflagged when all is well', () => {
    const c = openCase()
    assert.deepEqual(buildAgenda([c], options), [{ concernId: c.id, kind: 'progress_check', flags: [] }])
  })

  it('flags a progress check for an overdue task, an overdue referral follow-up and 14 days without activity', () => {
    const task = openCase({ overdueTasks: 2 })
    const followUp = openCase({ overdueFollowUps: 1 })
    const quiet = openCase({ lastActivityAt: at('2026-02-24T16:00:00Z') })
    const all = openCase({ overdueTasks: 1, overdueFollowUps: 1, lastActivityAt: null })
    const lines = new Map(buildAgenda([task, followUp, quiet, all], options).map((l) => [l.concernId, l]))
    assert.deepEqual(lines.get(task.id)!.flags, ['overdue_task'])
    assert.deepEqual(lines.get(followUp.id)!.flags, ['overdue_follow_up'])
    assert.deepEqual(lines.get(quiet.id)!.flags, ['inactive'])
    assert.deepEqual(lines.get(all.id)!.flags, ['overdue_task', 'overdue_follow_up', 'inactive'])
  })

  it('counts 14 calendar days of nothing as inactive, 13 as not', () => {
    assert.equal(isInactive(at('2026-02-24T12:00:00Z'), '2026-03-10'), true)
    assert.equal(isInactive(at('2026-02-25T12:00:00Z'), '2026-03-10'), false)
    assert.equal(isInactive(null, '2026-03-10'), true)
  })

  it('gives a case marked ready for closure a Final Review, even before its First Review', () => {
    const ready = openCase({ readyForClosureAt: at('2026-03-06T09:00:00Z') })
    const readyNew = openCase({ readyForClosureAt: at('2026-03-09T09:00:00Z'), reviewed: false, addressedAt: at('2026-03-09T08:00:00Z') })
    const kinds = buildAgenda([ready, readyNew], options).map((l) => [l.concernId, l.kind] as const)
    assert.deepEqual(new Map(kinds), new Map<string, string>([[ready.id, 'final_review'], [readyNew.id, 'final_review']]))
  })

  it('puts an agreed Final Review back to progress checks while the closure request is awaited', () => {
    const agreed = openCase({ readyForClosureAt: at('2026-03-01T09:00:00Z'), finalReviewAgreed: true })
    assert.equal(buildAgenda([agreed], options)[0]!.kind, 'progress_check')
  })

  it('leaves out cases not yet addressed, awaiting a closure decision, or closed', () => {
    const cases = [
      openCase({ status: 'submitted', addressedAt: null }),
      openCase({ status: 'allocated', addressedAt: null }),
      openCase({ status: 'closure_requested' }),
      openCase({ status: 'closed' }),
    ]
    assert.deepEqual(buildAgenda(cases, options), [])
  })

  it('judges a past meeting as of its date: cases addressed after it are not on it', () => {
    const later = openCase({ addressedAt: at('2026-03-11T10:00:00Z'), reviewed: false })
    assert.deepEqual(buildAgenda([later], { ...options, today: '2026-03-12' }), [])
  })

  it('orders First Reviews, then Final Reviews, then flagged progress checks, then the rest', () => {
    const plain = openCase()
    const flagged = openCase({ overdueTasks: 1 })
    const final = openCase({ readyForClosureAt: at('2026-03-06T09:00:00Z') })
    const first = openCase({ addressedAt: at('2026-03-05T11:00:00Z'), reviewed: false })
    assert.deepEqual(
      buildAgenda([plain, flagged, final, first], options).map((l) => l.concernId),
      [first.id, final.id, flagged.id, plain.id],
    )
  })

  it('accepts meeting dates after the last meeting, from a week ago to three months ahead', () => {
    assert.equal(meetingDateProblem('2026-03-10', '2026-03-10', '2026-03-03'), null)
    assert.match(meetingDateProblem('2026-03-03', '2026-03-10', '2026-03-03')!, /after the last meeting \(3 March 2026\)/)
    assert.match(meetingDateProblem('2026-03-01', '2026-03-10', null)!, /within the last 7 days/)
    assert.match(meetingDateProblem('2026-07-01', '2026-03-10', null)!, /next 3 months/)
  })
})
