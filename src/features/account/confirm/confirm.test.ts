import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { enrolAuthenticator, signInWithAuthenticator } from '../../../../test/helpers/mfa.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'
import { totpAt } from '../../../../test/helpers/totp.js'
import { userEditForm } from '../../../../test/helpers/user-form.js'

describe('"Confirm it’s you" before sensitive actions', () => {
  let app: TestApp
  let org: TestOrganisation

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
  })
  after(() => app.stop())

  /** Time passing while the person keeps using Kestrel (so the 15-minute idle limit never ends the session). */
  async function keepWorking(client: TestClient, minutes: number) {
    for (let left = minutes; left > 0; left -= 10) {
      app.clock.advanceMinutes(Math.min(10, left))
      assert.equal((await client.get('/')).status, 200)
    }
  }

  const auditActions = async (afterSeq: number) => (await auditRowsAfter(app.database.db, org.id, afterSeq)).map((r) => `${r.action}:${r.outcome}`)

  it('lets an administrator in straight after signing in, and asks for the password again once it is 15 minutes old', async () => {
    const admin = await app.factories.user(org, ['admin'])
    const client = await app.signedIn(admin)
    assert.equal((await client.get('/admin/users')).status, 200, 'fresh from signing in')

    await keepWorking(client, 15)
    const asked = await client.get('/admin/users?q=dana')
    assert.equal(asked.status, 303)
    assert.equal(asked.location, '/account/confirm')
    const page = await client.get('/account/confirm')
    assert.equal(headingText(page), 'Confirm it’s you')
    assert.equal(page.$('#code').length, 0, 'no code asked of someone without an authenticator')

    const seq = await lastAuditSeq(app.database.db, org.id)
    const confirmed = await client.post('/account/confirm', { password: admin.password })
    assert.equal(confirmed.status, 303)
    assert.equal(confirmed.location, '/admin/users?q=dana', 'back to the page they asked for')
    assert.deepEqual(await auditActions(seq), ['auth.confirm:success'])
    assert.equal((await client.get('/admin/users')).status, 200)

    await keepWorking(client, 14)
    assert.equal((await client.get('/admin/users')).status, 200, 'not asked again within 15 minutes of confirming')
  })

  it('refuses a sensitive change posted from a stale session, changing nothing, and shows the form again after confirming', async () => {
    const admin = await app.factories.user(org, ['admin'])
    const officer = await app.factories.user(org, ['dso'])
    const client = await app.signedIn(admin)
    const form = await client.get(`/admin/users/${officer.id}`)
    await keepWorking(client, 20)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const posted = await client.post(`/admin/users/${officer.id}`, { ...userEditForm(form), roles: ['admin'] })
    assert.equal(posted.location, '/account/confirm')
    const roles = await app.database.db.selectFrom('user_role').select('role').where('user_id', '=', officer.id).execute()
    assert.deepEqual(roles.map((r) => r.role), ['dso'], 'no administrator role granted')
    assert.deepEqual(await auditActions(seq), [])

    await client.get('/account/confirm')
    const confirmed = await client.post('/account/confirm', { password: admin.password })
    assert.equal(confirmed.location, `/admin/users/${officer.id}`, 'the form again, not the change replayed')

    // A button with no page of its own (deactivate) goes back to the page it sits on.
    await keepWorking(client, 20)
    const version = form.$(`form[action="/admin/users/${officer.id}/active"] input[name="version"]`).attr('value')!
    const deactivate = await client.post(`/admin/users/${officer.id}/active`, { active: 'false', version })
    assert.equal(deactivate.location, '/account/confirm')
    assert.equal((await app.database.db.selectFrom('app_user').select('active').where('id', '=', officer.id).executeTakeFirstOrThrow()).active, true, 'still active')
    await client.get('/account/confirm')
    assert.equal((await client.post('/account/confirm', { password: admin.password })).location, `/admin/users/${officer.id}`)
  })

  it('keeps everyday work free of the extra step, however old the sign-in', async () => {
    const officer = await app.factories.user(org, ['dso', 'safeguarding_manager'])
    const client = await app.signedIn(officer)
    await keepWorking(client, 25)
    for (const path of ['/', '/queue', '/cases', '/reports', '/my-concerns']) {
      assert.equal((await client.get(path)).status, 200, path)
    }
    assert.equal((await client.get('/break-glass')).location, '/account/confirm', 'breaking the glass on a restricted case is not everyday work')
  })

  it('explains a missing or wrong password, changes nothing, and counts wrong ones against the sign-in limit', async () => {
    const admin = await app.factories.user(org, ['admin'])
    const client = await app.signedIn(admin)
    await keepWorking(client, 16)
    await client.get('/account/confirm')

    const seq = await lastAuditSeq(app.database.db, org.id)
    const empty = await client.post('/account/confirm', { password: '' })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorSummary(empty), ['Enter your password'])
    assert.deepEqual(await auditActions(seq), [], 'nothing to audit in an empty form')

    for (let i = 0; i < 5; i++) {
      const wrong = await client.post('/account/confirm', { password: `not the password ${i}` })
      assert.equal(wrong.status, 400)
      assert.deepEqual(errorSummary(wrong), ['Your password is not correct'])
    }
    const throttled = await client.post('/account/confirm', { password: admin.password })
    assert.equal(throttled.status, 429, 'the right password too, once the limit is reached')
    assert.match(errorSummary(throttled)[0]!, /too many times/)
    assert.deepEqual(await auditActions(seq), [...Array(5).fill('auth.confirm:failure'), 'auth.confirm:denied'])
    assert.equal((await client.get('/admin/users')).location, '/account/confirm', 'still not confirmed')

    const elsewhere = app.client()
    await elsewhere.get('/sign-in')
    assert.equal((await elsewhere.post('/sign-in', { email: admin.email, password: admin.password })).status, 429, 'one limit for sign-in and confirming')
  })

  it('asks someone with an authenticator for a code too, and never takes the same code twice', async () => {
    const admin: TestUser = await app.factories.user(org, ['admin'])
    const { secret } = await enrolAuthenticator(app, await app.signedIn(admin))
    const client = await signInWithAuthenticator(app, admin, secret)
    await keepWorking(client, 15)
    const page = await client.get('/account/confirm')
    assert.equal(page.$('#code').length, 1)

    const seq = await lastAuditSeq(app.database.db, org.id)
    const noCode = await client.post('/account/confirm', { password: admin.password })
    assert.deepEqual(errorSummary(noCode), ['Enter the 6-digit code from your authenticator app'])
    const code = totpAt(secret, app.clock.now())
    const confirmed = await client.post('/account/confirm', { password: admin.password, code })
    assert.equal(confirmed.status, 303)

    await keepWorking(client, 15)
    const reused = await client.post('/account/confirm', { password: admin.password, code })
    assert.equal(reused.status, 400)
    assert.match(errorSummary(reused)[0]!, /already been used|not correct/)
    assert.deepEqual(await auditActions(seq), ['auth.mfa-code:success', 'auth.confirm:success', 'auth.mfa-code:failure', 'auth.confirm:failure'])
    assert.equal((await client.get('/admin/users')).location, '/account/confirm')
  })
})
