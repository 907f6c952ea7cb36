import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AppRole } from './roles.js'
import {
  caseWorkers,
  closureAnswerProblems,
  closureDecisionProblems,
  closureReadinessProblems,
  finalReviewAgreed,
  mayDecideClosure,
  mayRequestClosure,
  storedClosureAnswers,
  type ClosureAnswers,
} from './closure-rules.js'

const actor = (id: string, ...roles: AppRole[]) => ({ id, organisationId: 'org', roles: new Set<AppRole>(['staff', ...roles]) })
const at = (iso: string) => new Date(iso)

describe('closure rules', () => {
  describe('the Final Review', () => {
    const ready = at('2026-03-06T09:00:00Z')
    it('is agreed when the latest Final Review since the case was marked ready agreed it', () => {
      assert.equal(finalReviewAgreed(ready, [{ outcome: 'agreed', recordedAt: at('2026-03-10T10:00:00Z') }]), true)
    })
    it('is not agreed without any Final Review, or when the case was never marked ready', () => {
      assert.equal(finalReviewAgreed(ready, []), false)
      assert.equal(finalReviewAgreed(null, [{ outcome: 'agreed', recordedAt: at('2026-03-10T10:00:00Z') }]), false)
    })
    it('does not count a Final Review from before the case was marked ready again', () => {
      assert.equal(finalReviewAgreed(ready, [{ outcome: 'agreed', recordedAt: at('2026-02-10T10:00:00Z') }]), false)
    })
    it('is not agreed when the latest Final Review set actions or escalated', () => {
      assert.equal(finalReviewAgreed(ready, [{ outcome: 'agreed', recordedAt: at('2026-03-10T10:00:00Z') }, { outcome: 'actions_set', recordedAt: at('2026-03-10T10:05:00Z') }]), false)
    })
  })

  describe('requesting closure', () => {
    it('is for the Lead DSO of an open case only', () => {
      assert.deepEqual(mayRequestClosure(actor('lead', 'dso'), { status: 'open', leadDsoId: 'lead' }), { allowed: true })
      assert.equal(mayRequestClosure(actor('second', 'dso'), { status: 'open', leadDsoId: 'lead' }).allowed, false)
      assert.equal(mayRequestClosure(actor('m', 'safeguarding_manager'), { status: 'open', leadDsoId: 'lead' }).allowed, false)
      assert.match((mayRequestClosure(actor('lead', 'dso'), { status: 'closure_requested', leadDsoId: 'lead' }) as { reason: string }).reason, /already been requested/)
      assert.equal(mayRequestClosure(actor('lead', 'dso'), { status: 'closed', leadDsoId: 'lead' }).allowed, false)
      assert.equal(mayRequestClosure(actor('lead', 'dso'), { status: 'allocated', leadDsoId: 'lead' }).allowed, false)
    })

    it('needs an agreed Final Review, no open tasks and every referral outcome', () => {
      assert.deepEqual(closureReadinessProblems({ status: 'open', leadDsoId: 'l', finalReviewAgreed: true, openTasks: 0, referralsAwaitingOutcome: 0 }), [])
      const problems = closureReadinessProblems({ status: 'open', leadDsoId: 'l', finalReviewAgreed: false, openTasks: 2, referralsAwaitingOutcome: 1 })
      assert.equal(problems.length, 3)
      assert.match(problems[0]!, /has not had its Final Review/)
      assert.match(problems[1]!, /Complete the 2 open tasks/)
      assert.match(problems[2]!, /outcome of the onward referral/)
    })
  })

  describe('the closing answers', () => {
    const adult: ClosureAnswers = { closingSummary: 'Support in place.', sacOutcome: 'risk_identified_action_taken', riskOutcome: 'risk_reduced', mspAsked: 'asked_expressed', mspAchieved: 'partially' }

    it('accepts a complete adult closure', () => {
      assert.deepEqual(closureAnswerProblems(adult, true), [])
    })

    it('asks an adult closure for the SAC outcome, risk outcome and Making Safeguarding Personal answers', () => {
      const problems = closureAnswerProblems({ closingSummary: null, sacOutcome: null, riskOutcome: null, mspAsked: null, mspAchieved: null }, true)
      assert.deepEqual(problems.map((p) => p.field), ['closingSummary', 'sacOutcome', 'mspAsked'])
    })

    it('asks for the risk outcome only when risk was identified or inconclusive', () => {
      assert.deepEqual(closureAnswerProblems({ ...adult, riskOutcome: null }, true).map((p) => p.field), ['riskOutcome'])
      assert.deepEqual(closureAnswerProblems({ ...adult, sacOutcome: 'no_risk_no_action', riskOutcome: null }, true), [])
    })

    it('asks whether outcomes were achieved only when the person expressed them', () => {
      assert.deepEqual(closureAnswerProblems({ ...adult, mspAchieved: null }, true).map((p) => p.field), ['mspAchieved'])
      assert.deepEqual(closureAnswerProblems({ ...adult, mspAsked: 'not_asked', mspAchieved: null }, true), [])
    })

    it('refuses values that are not on the lists', () => {
      assert.deepEqual(closureAnswerProblems({ ...adult, sacOutcome: 'made_up', riskOutcome: 'gone', mspAsked: 'maybe' }, true).map((p) => p.field), ['sacOutcome', 'mspAsked'])
    })

    it('asks a child case only for the closing summary, and stores nothing else', () => {
      assert.deepEqual(closureAnswerProblems({ closingSummary: 'Done.', sacOutcome: null, riskOutcome: null, mspAsked: null, mspAchieved: null }, false), [])
      assert.deepEqual(storedClosureAnswers(adult, false), { closingSummary: 'Support in place.', sacOutcome: null, riskOutcome: null, mspAsked: null, mspAchieved: null })
    })

    it('does not store answers to questions that did not apply', () => {
      assert.equal(storedClosureAnswers({ ...adult, mspAsked: 'not_asked' }, true).mspAchieved, null)
      assert.equal(storedClosureAnswers({ ...adult, sacOutcome: 'no_risk_no_action' }, true).riskOutcome, null)
    })
  })

  describe('approving closure', () => {
    const concern = { referrer_user_id: 'referrer', lead_dso_id: 'lead', second_dso_id: 'second', allocated_by: 'allocator', decided_by: 'lead', closure_requested_by: 'lead' }
    const workers = caseWorkers(concern, ['note-author', 'task-assignee', null, 'uploader'])

    it('counts everyone who worked on the case', () => {
      assert.deepEqual([...workers].sort(), ['allocator', 'lead', 'note-author', 'referrer', 'second', 'task-assignee', 'uploader'])
    })

    it('lets a Senior Lead Officer who did not work on the case decide', () => {
      assert.deepEqual(mayDecideClosure(actor('slo', 'senior_lead_officer'), { status: 'closure_requested' }, workers), { allowed: true })
    })

    it('refuses a Senior Lead Officer who worked on the case, in any way', () => {
      for (const id of ['lead', 'second', 'allocator', 'note-author', 'task-assignee', 'uploader', 'referrer']) {
        const result = mayDecideClosure(actor(id, 'senior_lead_officer', 'dso'), { status: 'closure_requested' }, workers)
        assert.equal(result.allowed, false, id)
        assert.match((result as { reason: string }).reason, /You worked on this case/)
      }
    })

    it('refuses anyone who is not the Senior Lead Officer, and cases with no request waiting', () => {
      assert.equal(mayDecideClosure(actor('m', 'safeguarding_manager'), { status: 'closure_requested' }, workers).allowed, false)
      assert.equal(mayDecideClosure(actor('slo', 'senior_lead_officer'), { status: 'open' }, workers).allowed, false)
    })

    it('needs comments to return a request', () => {
      assert.deepEqual(closureDecisionProblems('approve', null), [])
      assert.deepEqual(closureDecisionProblems('return', null).map((p) => p.field), ['comments'])
      assert.deepEqual(closureDecisionProblems(undefined, null).map((p) => p.field), ['decision'])
    })
  })
})
