import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { enrolAuthenticator } from '../../../../test/helpers/mfa.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'
import { totpAt } from '../../../../test/helpers/totp.js'

describe('signing in with an authenticator code', () => {
  let app: TestApp
  let org: TestOrganisation

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
  })
  after(() => app.stop())

  async function enrolled(roles: Parameters<typeof app.factories.user>[1] = ['dso']): Promise<{ user: TestUser; secret: string; recoveryCodes: string[] }> {
    const user = await app.factories.user(org, roles)
    const client = await app.signedIn(user)
    return { user, ...(await enrolAuthenticator(app, client)) }
  }

  async function passwordStep(user: TestUser) {
    const client = app.client()
    await client.get('/sign-in')
    const response = await client.post('/sign-in', { email: user.email, password: user.password })
    return { client, response }
  }

  it('asks for the code after the password, as a separate step that grants nothing until it is given', async () => {
    const { user, secret } = await enrolled()
    const visitor = app.client()
    await visitor.get('/queue') // remembered as where they were going
    await visitor.get('/sign-in')
    const first = await visitor.post('/sign-in', { email: user.email, password: user.password })
    assert.equal(first.status, 303)
    assert.equal(first.location, '/sign-in/code')
    const halfway = visitor.sessionCookie
    for (const path of ['/', '/queue', '/account/two-step-verification']) {
      const page = await visitor.get(path)
      assert.equal(page.status, 303, `${path} is not reachable before the code`)
      assert.equal(page.location, '/sign-in')
    }
    const codePage = await visitor.get('/sign-in/code')
    assert.equal(codePage.status, 200)
    assert.equal(headingText(codePage), 'Enter the code from your authenticator app')
    assert.equal(codePage.$('#code').attr('autocomplete'), 'one-time-code')

    app.clock.advance(30_000)
    const second = await visitor.post('/sign-in/code', { code: totpAt(secret, app.clock.now()) })
    assert.equal(second.status, 303)
    assert.equal(second.location, '/queue', 'back where they were going')
    assert.notEqual(visitor.sessionCookie, halfway, 'a new session id once fully signed in')
    assert.equal((await visitor.get('/queue')).status, 200)
  })

  it('accepts the code with the spaces apps show, and a code from one step either side (clock drift)', async () => {
    const { user, secret } = await enrolled()
    const { client } = await passwordStep(user)
    await client.get('/sign-in/code')
    app.clock.advance(60_000)
    const previousStep = totpAt(secret, new Date(app.clock.now().getTime() - 30_000))
    const ok = await client.post('/sign-in/code', { code: `${previousStep.slice(0, 3)} ${previousStep.slice(3)}` })
    assert.equal(ok.status, 303)
    assert.equal((await client.get('/')).status, 200)
  })

  it('refuses a wrong code, and one from two minutes ago, without signing in; every attempt is audited', async () => {
    const { user, secret } = await enrolled()
    const seq = await lastAuditSeq(app.database.db, org.id)
    const { client } = await passwordStep(user)
    await client.get('/sign-in/code')
    app.clock.advance(30_000)
    const wrong = await client.post('/sign-in/code', { code: totpAt(secret, app.clock.now()) === '123456' ? '654321' : '123456' })
    assert.equal(wrong.status, 400)
    assert.deepEqual(errorSummary(wrong), ['The code is not correct. Enter the code your authenticator app shows now'])
    const stale = await client.post('/sign-in/code', { code: totpAt(secret, new Date(app.clock.now().getTime() - 120_000)) })
    assert.equal(stale.status, 400)
    const blank = await client.post('/sign-in/code', { code: '' })
    assert.equal(blank.status, 400)
    assert.deepEqual(errorSummary(blank), ['Enter the 6-digit code from your authenticator app'])
    assert.equal((await client.get('/')).status, 303, 'still not signed in')
    const ok = await client.post('/sign-in/code', { code: totpAt(secret, app.clock.now()) })
    assert.equal(ok.status, 303)

    const rows = (await auditRowsAfter(app.database.db, org.id, seq)).filter((r) => r.action === 'auth.mfa-code')
    assert.deepEqual(
      rows.map((r) => [r.outcome, r.details.reason]),
      [
        ['failure', 'wrong'],
        ['failure', 'wrong'],
        ['success', 'ok'],
      ],
      'each checked code is audited (a blank form is refused before any code is checked)',
    )
    assert.ok(rows.every((r) => r.actor_user_id === user.id && r.record_id === user.id))
  })

  it('never accepts the same code twice, even from another browser', async () => {
    const { user, secret } = await enrolled()
    const a = await passwordStep(user)
    const b = await passwordStep(user)
    await a.client.get('/sign-in/code')
    await b.client.get('/sign-in/code')
    app.clock.advance(30_000)
    const code = totpAt(secret, app.clock.now())
    const first = await a.client.post('/sign-in/code', { code })
    assert.equal(first.status, 303)
    const replay = await b.client.post('/sign-in/code', { code })
    assert.equal(replay.status, 400)
    assert.deepEqual(errorSummary(replay), ['That code has already been used. Wait for your authenticator app to show a new code, then enter it'])
    assert.equal((await b.client.get('/')).status, 303)
    // The code used to turn it on cannot sign in either: each time step is used once.
    const step = await app.database.db.selectFrom('user_mfa').select('last_time_step').where('user_id', '=', user.id).executeTakeFirstOrThrow()
    assert.equal(Number(step.last_time_step), Math.floor(app.clock.now().getTime() / 30_000))
  })

  it('accepts only one of two requests racing with the same code', async () => {
    const { user, secret } = await enrolled()
    const a = await passwordStep(user)
    const b = await passwordStep(user)
    await a.client.get('/sign-in/code')
    await b.client.get('/sign-in/code')
    app.clock.advance(30_000)
    const code = totpAt(secret, app.clock.now())
    const results = await Promise.all([a.client.post('/sign-in/code', { code }), b.client.post('/sign-in/code', { code })])
    assert.deepEqual(results.map((r) => r.status).sort(), [303, 400])
  })

  it('stops checking codes after five wrong ones (even the right one) until the window has passed', async () => {
    const { user, secret } = await enrolled()
    const { client } = await passwordStep(user)
    await client.get('/sign-in/code')
    app.clock.advance(30_000)
    const right = totpAt(secret, app.clock.now())
    const wrongCode = right === '111111' ? '222222' : '111111'
    for (let i = 0; i < 5; i++) assert.equal((await client.post('/sign-in/code', { code: wrongCode })).status, 400)
    const throttled = await client.post('/sign-in/code', { code: right })
    assert.equal(throttled.status, 429, 'even the right code is refused while throttled')
    assert.deepEqual(errorSummary(throttled), ['There have been too many attempts to enter a code. Wait 15 minutes and sign in again.'])
    const denied = await app.database.db.selectFrom('audit_event').select('details').where('action', '=', 'auth.mfa-code').where('record_id', '=', user.id).where('outcome', '=', 'denied').execute()
    assert.equal(denied.length, 1)

    // After the window, a fresh sign-in works.
    app.clock.advanceMinutes(16)
    const later = await passwordStep(user)
    await later.client.get('/sign-in/code')
    const ok = await later.client.post('/sign-in/code', { code: totpAt(secret, app.clock.now()) })
    assert.equal(ok.status, 303)
  })

  it('sends anyone without a password step back to sign in, and starts again after ten minutes', async () => {
    const stranger = app.client()
    const page = await stranger.get('/sign-in/code')
    assert.equal(page.status, 303)
    assert.equal(page.location, '/sign-in')

    const { user, secret } = await enrolled()
    const { client } = await passwordStep(user)
    await client.get('/sign-in/code')
    app.clock.advanceMinutes(11)
    const late = await client.post('/sign-in/code', { code: totpAt(secret, app.clock.now()) })
    assert.equal(late.status, 303)
    assert.equal(late.location, '/sign-in')
    const signInPage = await client.get('/sign-in')
    assert.match(signInPage.text, /Signing in took too long/)
    assert.equal((await client.get('/')).status, 303)
  })

  it('does not ask people without an authenticator for a code', async () => {
    const user = await app.factories.user(org, ['dso'])
    const { response } = await passwordStep(user)
    assert.equal(response.status, 303)
    assert.equal(response.location, '/')
  })

  it('refuses the code step without the CSRF token', async () => {
    const { user, secret } = await enrolled()
    const { client } = await passwordStep(user)
    await client.get('/sign-in/code')
    app.clock.advance(30_000)
    const refused = await client.post('/sign-in/code', { code: totpAt(secret, app.clock.now()), _csrf: 'forged' })
    assert.equal(refused.status, 403)
    assert.equal((await client.get('/')).status, 303)
  })

  it('ends a half-finished sign-in when the account is deactivated in the meantime', async () => {
    const { user, secret } = await enrolled()
    const { client } = await passwordStep(user)
    await client.get('/sign-in/code')
    await app.database.db.updateTable('app_user').set({ active: false }).where('id', '=', user.id).execute()
    app.clock.advance(30_000)
    const refused = await client.post('/sign-in/code', { code: totpAt(secret, app.clock.now()) })
    assert.equal(refused.status, 400)
    assert.equal((await client.get('/')).status, 303)
  })
})
