import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKey, open, parseKey, seal, SecretBoxError } from './secret-box.js'

describe('the secret box (AES-256-GCM)', () => {
  const current = generateKey()
  const keys = { current, previous: [] }

  it('opens what it sealed, and never seals the same value the same way twice', () => {
    const a = seal(keys, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'user_mfa:o:u')
    const b = seal(keys, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'user_mfa:o:u')
    assert.notEqual(a, b)
    assert.ok(!a.includes('JBSWY3DP'))
    assert.deepEqual(open(keys, a, 'user_mfa:o:u'), { plaintext: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', stale: false })
  })

  it('refuses a value that was altered, moved to another record, or sealed with an unknown key', () => {
    const sealed = seal(keys, 'secret', 'user_mfa:o:alice')
    const parts = sealed.split('.')
    const body = Buffer.from(parts[4]!, 'base64url')
    body[0]! ^= 1
    const altered = [...parts.slice(0, 4), body.toString('base64url')].join('.')
    assert.throws(() => open(keys, altered, 'user_mfa:o:alice'), SecretBoxError)
    assert.throws(() => open(keys, sealed, 'user_mfa:o:bob'), SecretBoxError)
    assert.throws(() => open({ current: generateKey(), previous: [] }, sealed, 'user_mfa:o:alice'), /not configured/)
    assert.throws(() => open(keys, 'plain text', 'user_mfa:o:alice'), SecretBoxError)
  })

  it('reads values sealed with a previous key after a rotation, and says they are stale', () => {
    const old = generateKey()
    const sealed = seal({ current: old, previous: [] }, 'secret', 'ad')
    assert.deepEqual(open({ current, previous: [old] }, sealed, 'ad'), { plaintext: 'secret', stale: true })
  })

  it('takes keys as base64, base64url or hex, and refuses anything that is not 32 bytes', () => {
    const key = generateKey()
    assert.deepEqual(parseKey(key.toString('base64'), 'K'), key)
    assert.deepEqual(parseKey(key.toString('base64url'), 'K'), key)
    assert.deepEqual(parseKey(key.toString('hex'), 'K'), key)
    for (const bad of ['', 'short', generateKey().subarray(0, 16).toString('base64'), 'correct horse battery staple correct horse']) {
      assert.throws(() => parseKey(bad, 'KESTREL_ENCRYPTION_KEY'), /KESTREL_ENCRYPTION_KEY must be 32 random bytes/)
    }
  })
})
