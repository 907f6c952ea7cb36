import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkRetentionSettings, DEFAULT_RETENTION, retainedCaseOf, disposalAllowed, latestBirthDate, mayApproveDisposal, retentionDue, ruleDescription, type DisposalCandidate } from './retention.js'
import type { AppRole } from './roles.js'

const adult = { at_risk: 'adult' as const, received_on: '2018-05-01', closed_on: '2019-03-05', date_of_birth: null, age_at_receipt: 80 }
const child = { at_risk: 'child' as const, received_on: '2018-05-01', closed_on: '2019-03-05', date_of_birth: '2010-07-15', age_at_receipt: 7 }

describe('retention periods', () => {
  it('keeps an adult case six years after closure by default', () => {
    assert.deepEqual(retentionDue(adult, DEFAULT_RETENTION), { kind: 'due', on: '2025-03-05', rule: 'Adult case: 6 years after closure' })
  })

  it('keeps a child case until the 25th birthday, or six years after closure if that is later', () => {
    assert.deepEqual(retentionDue(child, DEFAULT_RETENTION), { kind: 'due', on: '2035-07-15', rule: 'Child case: until the 25th birthday, or 6 years after closure if later' })
    // A 19-year-old at closure (a household concern): six years after closure comes later.
    const older = { ...child, at_risk: 'household' as const, date_of_birth: '2000-01-01', closed_on: '2019-03-05' }
    assert.equal((retentionDue(older, DEFAULT_RETENTION) as { on: string }).on, '2025-03-05')
  })

  it('never disposes of a child record early when only an age or an expected birth is known', () => {
    // 7 at a concern on 1 May 2018: born 2 May 2010 at the earliest, 1 May 2011 at the latest.
    assert.equal(latestBirthDate({ ...child, date_of_birth: null }), '2011-05-01')
    assert.equal((retentionDue({ ...child, date_of_birth: null }, DEFAULT_RETENTION) as { on: string }).on, '2036-05-01')
    // Unborn: a year after the concern at the latest.
    assert.equal(latestBirthDate({ ...child, at_risk: 'unborn', date_of_birth: null, age_at_receipt: null }), '2019-05-01')
  })

  it('cannot date a child case without a date of birth or age, so keeps it', () => {
    const due = retentionDue({ ...child, date_of_birth: null, age_at_receipt: null }, DEFAULT_RETENTION)
    assert.equal(due.kind, 'unknown')
    assert.match((due as { reason: string }).reason, /25th birthday cannot be worked out/)
  })

  it('starts nothing until the case is closed, and follows a leap-day closure to 28 February', () => {
    assert.deepEqual(retentionDue({ ...adult, closed_on: null }, DEFAULT_RETENTION), { kind: 'open' })
    assert.equal((retentionDue({ ...adult, closed_on: '2024-02-29' }, { ...DEFAULT_RETENTION, adultYearsAfterClosure: 1 }) as { on: string }).on, '2025-02-28')
  })

  it('reads a concern row by London dates, and starts the clock only once the case is closed', () => {
    const row = { at_risk: 'child' as const, status: 'closed' as const, received_at: new Date('2018-06-30T23:30:00Z'), closed_at: new Date('2019-07-31T23:30:00Z'), person_date_of_birth: null, person_age_years: 7 }
    assert.deepEqual(retainedCaseOf(row), { at_risk: 'child', received_on: '2018-07-01', closed_on: '2019-08-01', date_of_birth: null, age_at_receipt: 7 })
    assert.equal(retainedCaseOf({ ...row, status: 'closure_requested' }).closed_on, null)
  })

  it('describes the organisation’s own periods', () => {
    assert.equal(ruleDescription('child', { adultYearsAfterClosure: 10, childUntilAge: 21, childYearsAfterClosure: 8 }), 'Child case: until the 21st birthday, or 8 years after closure if later')
  })
})

describe('who may dispose of a record, and when', () => {
  const candidate: DisposalCandidate = { ...adult, status: 'closed', disposed_at: null, on_legal_hold: false }
  const actor = (roles: AppRole[], id = 'u1') => ({ id, organisationId: 'o', roles: new Set(roles) })

  it('allows a closed case past its date, not on hold, while disposal is not paused', () => {
    assert.deepEqual(disposalAllowed(candidate, DEFAULT_RETENTION, false, '2025-03-05'), { allowed: true })
    assert.deepEqual(disposalAllowed(candidate, DEFAULT_RETENTION, false, '2025-03-04'), { allowed: false, reason: 'This case must be kept until 5 March 2025.' })
    assert.equal(disposalAllowed({ ...candidate, on_legal_hold: true }, DEFAULT_RETENTION, false, '2030-01-01').allowed, false)
    assert.equal(disposalAllowed({ ...candidate, status: 'open' }, DEFAULT_RETENTION, false, '2030-01-01').allowed, false)
    assert.equal(disposalAllowed({ ...candidate, disposed_at: new Date() }, DEFAULT_RETENTION, false, '2030-01-01').allowed, false)
    assert.match((disposalAllowed(candidate, DEFAULT_RETENTION, true, '2030-01-01') as { reason: string }).reason, /paused/)
  })

  it('needs a second person, a Senior Lead Officer, to approve', () => {
    assert.deepEqual(mayApproveDisposal(actor(['senior_lead_officer'], 'u2'), { proposed_by: 'u1' }), { allowed: true })
    assert.equal(mayApproveDisposal(actor(['senior_lead_officer'], 'u1'), { proposed_by: 'u1' }).allowed, false)
    assert.equal(mayApproveDisposal(actor(['safeguarding_manager'], 'u2'), { proposed_by: 'u1' }).allowed, false)
  })
})

describe('the retention settings form', () => {
  const valid = { adultYearsAfterClosure: '6', childUntilAge: '25', childYearsAfterClosure: '6', paused: 'no', pausedReason: '' }

  it('accepts whole numbers within limits', () => {
    assert.deepEqual(checkRetentionSettings(valid), { kind: 'ok', rules: DEFAULT_RETENTION, paused: false, pausedReason: null })
  })

  it('explains every problem at once', () => {
    const checked = checkRetentionSettings({ adultYearsAfterClosure: '', childUntilAge: '12', childYearsAfterClosure: 'six', paused: 'yes', pausedReason: ' ' })
    assert.equal(checked.kind, 'invalid')
    assert.deepEqual(
      (checked as { problems: { field: string }[] }).problems.map((p) => p.field),
      ['adultYearsAfterClosure', 'childUntilAge', 'childYearsAfterClosure', 'pausedReason'],
    )
  })
})
