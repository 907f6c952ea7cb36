import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AppRole } from './roles.js'
import { mayAddToCase, mayBreakGlass, mayCompleteTask, mayMarkReadyForClosure, mayReopen, mayRestrict } from './case-record-rules.js'

const actor = (id: string, ...roles: AppRole[]) => ({ id, organisationId: 'org', roles: new Set<AppRole>(['staff', ...roles]) })

describe('case record rules', () => {
  it('lets DSOs and managers add to a case until it is closed, then nobody', () => {
    assert.equal(mayAddToCase(actor('d', 'dso'), { status: 'open' }).allowed, true)
    assert.equal(mayAddToCase(actor('m', 'safeguarding_manager'), { status: 'allocated' }).allowed, true)
    assert.equal(mayAddToCase(actor('s', 'senior_lead_officer'), { status: 'open' }).allowed, false)
    assert.equal(mayAddToCase(actor('a', 'auditor'), { status: 'open' }).allowed, false)
    assert.match((mayAddToCase(actor('d', 'dso'), { status: 'closed' }) as { reason: string }).reason, /closed, so it is read-only/)
  })

  it('lets the assignee, the Lead DSO or a manager mark a task done, once', () => {
    const concern = { status: 'open' as const, lead_dso_id: 'lead' }
    const task = { assignee_id: 'bob', completed_at: null }
    assert.equal(mayCompleteTask(actor('bob', 'dso'), concern, task).allowed, true)
    assert.equal(mayCompleteTask(actor('lead', 'dso'), concern, task).allowed, true)
    assert.equal(mayCompleteTask(actor('m', 'safeguarding_manager'), concern, task).allowed, true)
    assert.equal(mayCompleteTask(actor('other', 'dso'), concern, task).allowed, false)
    assert.equal(mayCompleteTask(actor('bob', 'dso'), concern, { assignee_id: 'bob', completed_at: new Date() }).allowed, false)
    assert.equal(mayCompleteTask(actor('bob', 'dso'), { ...concern, status: 'closed' }, task).allowed, false)
  })

  it('lets only the Lead DSO mark an open case ready for closure, once', () => {
    const concern = { status: 'open' as const, lead_dso_id: 'lead', ready_for_closure_at: null }
    assert.equal(mayMarkReadyForClosure(actor('lead', 'dso'), concern).allowed, true)
    assert.equal(mayMarkReadyForClosure(actor('second', 'dso'), concern).allowed, false)
    assert.equal(mayMarkReadyForClosure(actor('lead', 'dso'), { ...concern, ready_for_closure_at: new Date() }).allowed, false)
    assert.equal(mayMarkReadyForClosure(actor('lead', 'dso'), { ...concern, status: 'allocated' }).allowed, false)
  })

  it('lets only managers restrict, reopen (closed cases only) and break glass (restricted cases they are not named on)', () => {
    const manager = actor('m', 'safeguarding_manager')
    assert.equal(mayRestrict(manager, { status: 'open' }).allowed, true)
    assert.equal(mayRestrict(actor('d', 'dso'), { status: 'open' }).allowed, false)
    assert.equal(mayReopen(manager, { status: 'closed' }).allowed, true)
    assert.equal(mayReopen(manager, { status: 'open' }).allowed, false)
    assert.equal(mayReopen(actor('s', 'senior_lead_officer'), { status: 'closed' }).allowed, false)
    assert.equal(mayBreakGlass(manager, { restricted: true }, false).allowed, true)
    assert.equal(mayBreakGlass(manager, { restricted: true }, true).allowed, false)
    assert.equal(mayBreakGlass(manager, { restricted: false }, false).allowed, false)
    assert.equal(mayBreakGlass(actor('a', 'auditor'), { restricted: true }, false).allowed, false)
  })
})
