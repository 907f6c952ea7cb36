import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { formatRecoveryCode, holdsMfaRole, mustEnrolMfa, normaliseRecoveryCode, normaliseTotpCode, RECOVERY_ALPHABET, recoveryCodeFromIndexes } from './mfa.js'

describe('who must use two-step verification', () => {
  it('is everyone with a role beyond staff, when the organisation requires it and they have not set it up', () => {
    for (const role of ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor', 'admin'] as const) {
      assert.equal(mustEnrolMfa(['staff', role], true, false), true, role)
      assert.equal(mustEnrolMfa(['staff', role], false, false), false, `${role} when not required`)
      assert.equal(mustEnrolMfa(['staff', role], true, true), false, `${role} once set up`)
    }
    assert.equal(mustEnrolMfa(['staff'], true, false), false)
    assert.equal(holdsMfaRole(['staff']), false)
  })
})

describe('codes as people type them', () => {
  it('accepts six digits with the spaces or dashes apps show, and nothing else', () => {
    assert.equal(normaliseTotpCode('123 456'), '123456')
    assert.equal(normaliseTotpCode(' 123-456 '), '123456')
    for (const bad of ['12345', '1234567', '12a456', '', '１２３４５６']) assert.equal(normaliseTotpCode(bad), undefined, bad)
  })

  it('reads back any recovery code however it is typed (case, spaces, dashes)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: RECOVERY_ALPHABET.length - 1 }), { minLength: 12, maxLength: 12 }), (indexes) => {
        const code = recoveryCodeFromIndexes(indexes)
        assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)
        assert.equal(normaliseRecoveryCode(code.toUpperCase().replace(/-/g, ' ')), code)
        assert.equal(normaliseRecoveryCode(code.replace(/-/g, '')), code)
      }),
    )
  })

  it('refuses recovery codes of the wrong length or with ambiguous characters', () => {
    for (const bad of ['abcd-efgh', 'abcd-efgh-jkmn-p', 'abcd-efgh-jk0n', 'abcd-efgh-jk1n', 'abcd-efgh-jkln']) assert.equal(normaliseRecoveryCode(bad), undefined, bad)
    assert.equal(formatRecoveryCode('abcdefghjkmn'), 'abcd-efgh-jkmn')
  })
})
