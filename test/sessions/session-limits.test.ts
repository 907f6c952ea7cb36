import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestClient } from '../helpers/client.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'

/** The session id inside the signed cookie value (`s:<sid>.<signature>`, URL-encoded). */
function sidOf(client: TestClient): string {
  const raw = decodeURIComponent(client.sessionCookie!)
  return raw.slice(2, raw.lastIndexOf('.'))
}

describe('sessions: stored in the database, idle and absolute limits on the app clock', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T08:00:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
  })
  after(() => app.stop())

  it('keeps the signed-in session in the http_session table, and removes it at sign-out', async () => {
    const client = await app.signedIn(staff)
    const sid = sidOf(client)
    const row = await app.database.db.selectFrom('http_session').selectAll().where('sid', '=', sid).executeTakeFirstOrThrow()
    assert.equal(row.user_id, staff.id)
    assert.equal(row.organisation_id, org.id)
    assert.ok(row.expires_at.getTime() > app.clock.now().getTime())
    assert.ok(row.expires_at.getTime() <= app.clock.now().getTime() + 15 * 60_000, 'the row expires with the idle limit')
    await client.get('/')
    await client.post('/sign-out')
    assert.equal(await app.database.db.selectFrom('http_session').select('sid').where('sid', '=', sid).executeTakeFirst(), undefined)
  })

  it('keeps a session alive while the person is active', async () => {
    const client = await app.signedIn(staff)
    for (let i = 0; i < 6; i++) {
      app.clock.advanceMinutes(14)
      const page = await client.get('/my-concerns')
      assert.equal(page.status, 200, `after ${(i + 1) * 14} minutes of steady activity`)
    }
  })

  it('signs out after 15 idle minutes, says why, and returns the person to the page they wanted', async () => {
    const client = await app.signedIn(staff)
    assert.equal((await client.get('/my-concerns')).status, 200)
    const sid = sidOf(client)
    app.clock.advanceMinutes(16)

    const timedOut = await client.get('/my-concerns?page=1')
    assert.equal(timedOut.status, 303)
    assert.equal(timedOut.location, '/sign-in')
    assert.equal(await app.database.db.selectFrom('http_session').select('sid').where('sid', '=', sid).executeTakeFirst(), undefined, 'the old session row is gone')

    const signInPage = await client.get('/sign-in')
    assert.equal(signInPage.status, 200)
    assert.match(signInPage.$('.govuk-notification-banner').text(), /You were signed out because you had not done anything for a while\. Sign in again to continue\./)
    const signedIn = await client.post('/sign-in', { email: staff.email, password: staff.password })
    assert.equal(signedIn.status, 303)
    assert.equal(signedIn.location, '/my-concerns?page=1')
    assert.equal((await client.get('/my-concerns?page=1')).status, 200)

    const later = await client.get('/sign-in')
    assert.equal(later.status, 303, 'a signed-in person is sent home from the sign-in page')
  })

  it('does not bring an idle session back to life with a form post', async () => {
    const client = await app.signedIn(staff)
    await client.get('/concerns/new')
    app.clock.advanceMinutes(20)
    const posted = await client.post('/concerns/new', { personName: 'Someone' })
    assert.equal(posted.status, 303)
    assert.equal(posted.location, '/sign-in')
    const next = await client.get('/concerns/new/check')
    assert.equal(next.location, '/sign-in', 'still signed out: the post did not renew the session')
  })

  it('ends a session 12 hours after sign-in even with activity every 10 minutes', async () => {
    const client = await app.signedIn(staff)
    // Activity at 5, 15, 25 … 715 minutes, then 725: never idle, but past 12 hours.
    app.clock.advanceMinutes(5)
    let minutes = 5
    while (minutes < 12 * 60) {
      const page = await client.get('/')
      assert.equal(page.status, 200, `still signed in after ${minutes} minutes`)
      app.clock.advanceMinutes(10)
      minutes += 10
    }
    const ended = await client.get('/my-concerns')
    assert.equal(ended.status, 303)
    assert.equal(ended.location, '/sign-in')
    const signInPage = await client.get('/sign-in')
    assert.match(signInPage.$('.govuk-notification-banner').text(), /You were signed out because your session reached its time limit\./)
  })

  it('gives a visitor with no session, or an unknown cookie, the plain sign-in page', async () => {
    const client = app.client()
    client.setCookie('kestrel', 's%3Anot-a-real-session.signature')
    const page = await client.get('/my-concerns')
    assert.equal(page.location, '/sign-in')
    const signIn = await client.get('/sign-in')
    assert.equal(signIn.$('.govuk-notification-banner').length, 0)
  })
})
