import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { enrolAuthenticator, signInWithAuthenticator } from '../../../../test/helpers/mfa.js'
import { totpAt } from '../../../../test/helpers/totp.js'

describe('recovery codes', () => {
  let app: TestApp
  let org: TestOrganisation

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
  })
  after(() => app.stop())

  async function enrolled(): Promise<{ user: TestUser; secret: string; recoveryCodes: string[] }> {
    const user = await app.factories.user(org, ['safeguarding_manager'])
    return { user, ...(await enrolAuthenticator(app, await app.signedIn(user))) }
  }

  async function toRecoveryPage(user: TestUser) {
    const client = app.client()
    await client.get('/sign-in')
    await client.post('/sign-in', { email: user.email, password: user.password })
    const page = await client.get('/sign-in/recovery-code')
    assert.equal(page.status, 200)
    return client
  }

  it('signs in with a recovery code once, says how many are left, and refuses it the second time', async () => {
    const { user, recoveryCodes } = await enrolled()
    const code = recoveryCodes[3]!
    const client = await toRecoveryPage(user)
    // Typed in capitals and without dashes: still the same code.
    const ok = await client.post('/sign-in/recovery-code', { recoveryCode: code.replace(/-/g, ' ').toUpperCase() })
    assert.equal(ok.status, 303)
    assert.equal(ok.location, '/')
    const home = await client.get('/')
    assert.equal(home.status, 200)
    assert.match(home.text, /You have 9 recovery codes left/)

    const again = await toRecoveryPage(user)
    const refused = await again.post('/sign-in/recovery-code', { recoveryCode: code })
    assert.equal(refused.status, 400)
    assert.deepEqual(errorSummary(refused), ['The recovery code is not correct, or it has already been used'])
    assert.equal((await again.get('/')).status, 303)

    const used = await app.database.db.selectFrom('mfa_recovery_code').select('used_at').where('user_id', '=', user.id).where('used_at', 'is not', null).execute()
    assert.equal(used.length, 1)
    const audit = await app.database.db.selectFrom('audit_event').select(['outcome', 'details']).where('action', '=', 'auth.mfa-code').where('record_id', '=', user.id).orderBy('seq').execute()
    assert.deepEqual(
      audit.map((a) => [a.outcome, a.details.method, a.details.reason]),
      [
        ['success', 'recovery_code', 'ok'],
        ['failure', 'recovery_code', 'wrong'],
      ],
    )
    assert.ok(!JSON.stringify(audit).includes(code.slice(0, 4)), 'the code itself is never audited')
  })

  it('refuses codes that are not recovery codes with a clear message', async () => {
    const { user } = await enrolled()
    const client = await toRecoveryPage(user)
    const blank = await client.post('/sign-in/recovery-code', { recoveryCode: '' })
    assert.equal(blank.status, 400)
    assert.deepEqual(errorSummary(blank), ['Enter one of your recovery codes'])
    const short = await client.post('/sign-in/recovery-code', { recoveryCode: 'abcd-efgh' })
    assert.deepEqual(errorSummary(short), ['A recovery code has 12 letters and numbers, like abcd-efgh-jkmn'])
    const madeUp = await client.post('/sign-in/recovery-code', { recoveryCode: 'abcd-efgh-jkmn' })
    assert.equal(madeUp.status, 400)
    assert.equal((await client.get('/')).status, 303)
  })

  it('lets people get new codes with a current authenticator code, and the old codes stop working', async () => {
    const { user, secret, recoveryCodes } = await enrolled()
    const client = await signInWithAuthenticator(app, user, secret)
    const overview = await client.get('/account/two-step-verification')
    assert.equal(overview.status, 200)

    const wrong = await client.post('/account/two-step-verification/recovery-codes', { code: '000000' === totpAt(secret, app.clock.now()) ? '999999' : '000000' })
    assert.equal(wrong.status, 400)
    assert.deepEqual(errorSummary(wrong), ['The code is not correct. Enter the code your authenticator app shows now'])

    // The code that just signed in cannot be used again here.
    const replay = await client.post('/account/two-step-verification/recovery-codes', { code: totpAt(secret, app.clock.now()) })
    assert.equal(replay.status, 400)

    app.clock.advance(30_000)
    const fresh = await client.post('/account/two-step-verification/recovery-codes', { code: totpAt(secret, app.clock.now()) })
    assert.equal(fresh.status, 200)
    const newCodes = fresh.$('#recovery-codes code').map((_, el) => fresh.$(el).text()).get()
    assert.equal(newCodes.length, 10)
    assert.ok(newCodes.every((c) => !recoveryCodes.includes(c)))

    const oldTry = await toRecoveryPage(user)
    assert.equal((await oldTry.post('/sign-in/recovery-code', { recoveryCode: recoveryCodes[0]! })).status, 400)
    const newTry = await toRecoveryPage(user)
    assert.equal((await newTry.post('/sign-in/recovery-code', { recoveryCode: newCodes[0]! })).status, 303)
    const audit = await app.database.db.selectFrom('audit_event').select(['outcome']).where('action', '=', 'auth.mfa-recovery-codes').where('record_id', '=', user.id).orderBy('seq').execute()
    assert.deepEqual(
      audit.map((a) => a.outcome),
      ['failure', 'failure', 'success'],
    )
  })
})
