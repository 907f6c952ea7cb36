import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { allocationProblems, isNamedInConcern, type Candidate } from './allocation-rules.js'

const dso = (id: string, displayName: string, activeDso = true): Candidate => ({ id, displayName, activeDso })
const candidates = new Map([
  ['a', dso('a', 'Dana Officer')],
  ['b', dso('b', 'Bob Second')],
  ['c', dso('c', 'Carol Referrer')],
  ['x', dso('x', 'Xavier Gone', false)],
  ['m', dso('m', 'Margaret Ellis')],
])
const concern = { referrerUserId: 'c', personName: 'Margaret Ann Ellis', personKnownAs: null, householdMembers: 'Tom Byrne (son)' }

describe('allocation rules: Lead and Second DSO', () => {
  it('accepts two different active DSOs who neither raised nor are named in the concern', () => {
    assert.deepEqual(allocationProblems({ leadId: 'a', secondId: 'b' }, concern, candidates), [])
  })

  it('requires both people', () => {
    assert.deepEqual(allocationProblems({ leadId: null, secondId: null }, concern, candidates), [
      { field: 'leadId', message: 'Select the Lead DSO' },
      { field: 'secondId', message: 'Select the Second DSO' },
    ])
  })

  it('refuses the same person as Lead and Second', () => {
    assert.deepEqual(allocationProblems({ leadId: 'a', secondId: 'a' }, concern, candidates), [{ field: 'secondId', message: 'The Second DSO must be a different person from the Lead DSO' }])
  })

  it('refuses the referrer', () => {
    assert.deepEqual(allocationProblems({ leadId: 'c', secondId: 'b' }, concern, candidates), [{ field: 'leadId', message: 'Carol Referrer raised this concern, so cannot be the Lead DSO' }])
  })

  it('refuses an inactive DSO or someone who is not a DSO at all', () => {
    assert.equal(allocationProblems({ leadId: 'a', secondId: 'x' }, concern, candidates)[0]!.message, 'Select a Second DSO from the list of active DSOs')
    assert.equal(allocationProblems({ leadId: 'nobody', secondId: 'b' }, concern, candidates)[0]!.message, 'Select a Lead DSO from the list of active DSOs')
  })

  it('refuses a DSO named in the concern (subject name with a middle name)', () => {
    assert.deepEqual(allocationProblems({ leadId: 'a', secondId: 'm' }, concern, candidates), [{ field: 'secondId', message: 'Margaret Ellis is named in this concern, so cannot be the Second DSO' }])
  })
})

describe('who counts as named in a concern', () => {
  const people = (personName: string, householdMembers: string | null = null, personKnownAs: string | null = null) => ({ personName, householdMembers, personKnownAs })
  it('matches the whole name anywhere in the subject, known-as or household fields, ignoring case and punctuation', () => {
    assert.ok(isNamedInConcern('Tom Byrne', people('Ann Byrne', 'Tom BYRNE (son), Lily (7)')))
    assert.ok(isNamedInConcern('Zoë O’Neill', people('Zoe O Neill')))
    assert.ok(isNamedInConcern('Sam Jones', people('Alex Smith', null, 'Sam Jones')))
  })
  it('matches first and last names around a middle name', () => {
    assert.ok(isNamedInConcern('Margaret Ellis', people('Margaret Ann Ellis')))
  })
  it('does not match a shared first name or surname alone', () => {
    assert.equal(isNamedInConcern('Tom Smith', people('Tom Byrne', 'Tom (son)')), false)
    assert.equal(isNamedInConcern('Ann Byrne', people('Tom Byrne')), false)
    assert.equal(isNamedInConcern('Dana', people('Dana Smith', 'Dana (daughter)')), false)
  })
  it('matches a one-word name only when a field is exactly that word', () => {
    assert.ok(isNamedInConcern('Dana', people('Someone', null, 'Dana')))
  })
})
