import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AppRole } from './roles.js'
import { mayAllocate, mayConfirmAgreement, mayManageReferrals, mayRecordDecision, type TriageState } from './triage-access.js'

const actor = (id: string, ...roles: AppRole[]) => ({ id, organisationId: 'o', roles: new Set<AppRole>(['staff', ...roles]) })
const base: TriageState = { status: 'submitted', lead_dso_id: null, second_dso_id: null, second_agreed_at: null }
const allocated: TriageState = { status: 'allocated', lead_dso_id: 'lead', second_dso_id: 'second', second_agreed_at: null }

describe('record-level triage rules', () => {
  it('the duty DSO or a manager allocates a new concern; other DSOs cannot', () => {
    assert.equal(mayAllocate(actor('d', 'dso'), base, true).allowed, true)
    assert.equal(mayAllocate(actor('d', 'dso'), base, false).allowed, false)
    assert.equal(mayAllocate(actor('m', 'safeguarding_manager'), base, false).allowed, true)
  })
  it('only a manager reallocates', () => {
    assert.equal(mayAllocate(actor('d', 'dso'), allocated, true).allowed, false)
    assert.equal(mayAllocate(actor('m', 'safeguarding_manager', 'dso'), allocated, false).allowed, true)
    assert.equal(mayAllocate(actor('m', 'safeguarding_manager'), { ...allocated, status: 'closed' }, false).allowed, false)
  })
  it('only the Lead DSO records the decision, and only while allocated', () => {
    assert.equal(mayRecordDecision(actor('lead', 'dso'), allocated).allowed, true)
    assert.equal(mayRecordDecision(actor('second', 'dso'), allocated).allowed, false)
    assert.equal(mayRecordDecision(actor('other', 'dso', 'safeguarding_manager'), allocated).allowed, false)
    assert.equal(mayRecordDecision(actor('lead', 'dso'), { ...allocated, status: 'open' }).allowed, false)
  })
  it('only the Second DSO confirms agreement, once', () => {
    assert.equal(mayConfirmAgreement(actor('second', 'dso'), allocated).allowed, true)
    assert.equal(mayConfirmAgreement(actor('lead', 'dso'), allocated).allowed, false)
    assert.equal(mayConfirmAgreement(actor('second', 'dso'), { ...allocated, second_agreed_at: new Date() }).allowed, false)
  })
  it('only the Lead manages onward referrals, after the decision', () => {
    assert.equal(mayManageReferrals(actor('lead', 'dso'), { ...allocated, status: 'open' }).allowed, true)
    assert.equal(mayManageReferrals(actor('lead', 'dso'), allocated).allowed, false)
    assert.equal(mayManageReferrals(actor('second', 'dso'), { ...allocated, status: 'open' }).allowed, false)
  })
})
