import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isFollowUpOverdue, referralProblems, storedConsentReason } from './onward-referral-rules.js'

const today = '2026-03-10'
const given = { consent: 'given' as const, refusedReason: null, notSoughtReason: null }

describe('onward referral rules', () => {
  it('accepts a referral made today with a later follow-up and consent given', () => {
    assert.deepEqual(referralProblems({ madeOn: today, followUpOn: '2026-03-17' }, given, today), [])
  })
  it('refuses a follow-up date before the referral date', () => {
    assert.deepEqual(referralProblems({ madeOn: today, followUpOn: '2026-03-09' }, given, today), [{ field: 'followUpOn', message: 'The follow-up date must be on or after the date the referral was made' }])
  })
  it('refuses a referral dated in the future', () => {
    assert.equal(referralProblems({ madeOn: '2026-03-11', followUpOn: null }, given, today)[0]!.field, 'madeOn')
  })
  it('consent refused needs one of the lawful reasons to refer anyway', () => {
    assert.equal(referralProblems({ madeOn: today, followUpOn: null }, { consent: 'refused_referred', refusedReason: null, notSoughtReason: null }, today)[0]!.message, 'Select why you referred without consent')
    assert.equal(referralProblems({ madeOn: today, followUpOn: null }, { consent: 'refused_referred', refusedReason: 'felt like it', notSoughtReason: null }, today).length, 1)
    const ok = { consent: 'refused_referred' as const, refusedReason: 'risk_to_others', notSoughtReason: null }
    assert.deepEqual(referralProblems({ madeOn: today, followUpOn: null }, ok, today), [])
    assert.equal(storedConsentReason(ok), 'risk_to_others')
  })
  it('consent not sought needs the reason in words', () => {
    assert.equal(referralProblems({ madeOn: today, followUpOn: null }, { consent: 'not_sought', refusedReason: null, notSoughtReason: null }, today)[0]!.message, 'Enter why consent was not sought')
    assert.equal(storedConsentReason({ consent: 'not_sought', refusedReason: null, notSoughtReason: 'Seeking consent would put her at risk' }), 'Seeking consent would put her at risk')
  })
  it('an outcome is overdue once its follow-up date has passed without an outcome', () => {
    assert.equal(isFollowUpOverdue({ follow_up_on: '2026-03-09', outcome: null }, today), true)
    assert.equal(isFollowUpOverdue({ follow_up_on: today, outcome: null }, today), false)
    assert.equal(isFollowUpOverdue({ follow_up_on: '2026-03-09', outcome: 'accepted' }, today), false)
  })
})
