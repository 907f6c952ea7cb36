import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { totpAt } from '../../test/helpers/totp.js'
import { checkTotp, newTotpSecret, totpUri } from './totp.js'

// RFC 6238 appendix B, SHA-1: the key is the ASCII string "12345678901234567890".
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

describe('TOTP codes (RFC 6238)', () => {
  it('agrees with the RFC test vectors (last six digits)', async () => {
    for (const [seconds, code] of [
      [59, '287082'],
      [1111111109, '081804'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ] as const) {
      const check = await checkTotp(RFC_SECRET, code, new Date(seconds * 1000), null)
      assert.deepEqual(check, { ok: true, timeStep: Math.floor(seconds / 30) }, String(seconds))
    }
  })

  it('allows one step of clock drift either way and no more', async () => {
    const secret = newTotpSecret()
    const now = new Date('2026-03-09T10:15:10Z')
    for (const offset of [-30, 0, 30]) assert.equal((await checkTotp(secret, totpAt(secret, new Date(now.getTime() + offset * 1000)), now, null)).ok, true, `${offset}s`)
    for (const offset of [-90, 90]) assert.deepEqual(await checkTotp(secret, totpAt(secret, new Date(now.getTime() + offset * 1000)), now, null), { ok: false, reason: 'wrong' }, `${offset}s`)
  })

  it('refuses a code whose time step is not after the last one accepted', async () => {
    const secret = newTotpSecret()
    const now = new Date('2026-03-09T10:15:10Z')
    const step = Math.floor(now.getTime() / 30_000)
    const code = totpAt(secret, now)
    assert.deepEqual(await checkTotp(secret, code, now, step), { ok: false, reason: 'reused' })
    assert.deepEqual(await checkTotp(secret, code, now, step - 1), { ok: true, timeStep: step })
    // An older code inside the drift window is refused once a later step was used.
    assert.deepEqual(await checkTotp(secret, totpAt(secret, new Date(now.getTime() - 30_000)), now, step), { ok: false, reason: 'reused' })
  })

  it('gives authenticator apps a standard otpauth link with the issuer and the account', () => {
    const uri = totpUri('Kestrel (Wealdmoor District Council)', 'dana.dso@wealdmoor.example', RFC_SECRET)
    const url = new URL(uri)
    assert.equal(url.protocol, 'otpauth:')
    assert.equal(url.host, 'totp')
    assert.equal(url.searchParams.get('secret'), RFC_SECRET)
    assert.equal(url.searchParams.get('issuer'), 'Kestrel (Wealdmoor District Council)')
    assert.match(decodeURIComponent(url.pathname), /dana\.dso@wealdmoor\.example/)
  })
})
