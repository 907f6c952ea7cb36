import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FRESH_SIGN_IN_MS, needsFreshSignIn } from './fresh-sign-in.js'

describe('fresh sign-in for sensitive actions', () => {
  const now = new Date('2026-03-09T10:00:00Z')
  const ago = (ms: number) => now.getTime() - ms

  it('asks again once the password is 15 minutes old, not a moment before', () => {
    assert.equal(needsFreshSignIn('admin:users', ago(FRESH_SIGN_IN_MS - 1), now), false)
    assert.equal(needsFreshSignIn('admin:users', ago(FRESH_SIGN_IN_MS), now), true)
  })

  it('covers people, security and email settings and breaking the glass, and nothing an officer does every day', () => {
    for (const action of ['admin:users', 'admin:security', 'admin:notification-settings', 'admin:retention', 'case:break-glass', 'records:approve-disposal'] as const) assert.equal(needsFreshSignIn(action, ago(FRESH_SIGN_IN_MS), now), true, action)
    for (const action of ['concern:view', 'concern:decide', 'admin:reference-data', 'reports:export', 'account:use'] as const) assert.equal(needsFreshSignIn(action, undefined, now), false, action)
  })

  it('asks when the session has no record of a password, or one from the future', () => {
    assert.equal(needsFreshSignIn('admin:security', undefined, now), true)
    assert.equal(needsFreshSignIn('admin:security', now.getTime() + 60_000, now), true)
  })
})
