import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isTooEasyToGuess } from './password-strength.js'

describe('password strength', () => {
  it('refuses long but common or patterned passwords', () => {
    for (const password of ['passwordpassword', '123456789012', 'qwertyuiopasdf', 'Password12345', 'iloveyou12345', 'aaaaaaaaaaaaaaaa']) {
      assert.equal(isTooEasyToGuess(password), true, password)
    }
  })

  it('accepts three or more random words and other hard-to-guess passwords', () => {
    for (const password of ['correct horse battery staple', 'copper lantern orchard', 'a brand new password', 'Tq7#vR2m!xLp9$']) {
      assert.equal(isTooEasyToGuess(password), false, password)
    }
  })

  it('refuses a password made from the person’s own details', () => {
    const details = ['alexandra.whitfield@wealdmoor.example', 'Alexandra Whitfield']
    assert.equal(isTooEasyToGuess('AlexandraWhitfield', details), true)
    assert.equal(isTooEasyToGuess('whitfield2026!', details), true)
    assert.equal(isTooEasyToGuess('AlexandraWhitfield'), false, 'the same password is fine for someone else')
  })
})
