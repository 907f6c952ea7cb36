import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../test/helpers/app.js'
import { engineName } from '../../test/helpers/database.js'

/**
 * A browser follows a redirect as soon as the headers arrive. If the session were saved only as
 * the response body ends, the next page could read the session from before the change: the
 * success message (or a journey's answers) lost. Session writes are slowed down in the database
 * here so the race is certain on PostgreSQL; PGlite runs one query at a time, so there it cannot
 * race at all.
 */
describe(`sessions and redirects (${engineName})`, () => {
  let app: TestApp

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    await sql`CREATE FUNCTION test_slow_session_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$`.execute(app.database.owner)
    await sql`CREATE TRIGGER test_slow_session_write BEFORE INSERT OR UPDATE ON http_session FOR EACH ROW EXECUTE FUNCTION test_slow_session_write()`.execute(app.database.owner)
  })
  after(() => app.stop())

  it('saves a changed session before the redirect goes out, so the next page sees the change', async () => {
    const org = await app.factories.organisation()
    const user = await app.factories.user(org)
    const client = await app.signedIn(user)
    await client.get('/account/password')
    const body = new URLSearchParams({ _csrf: client.lastCsrfToken!, currentPassword: user.password, newPassword: 'four unrelated words here', confirmPassword: 'four unrelated words here' })
    // fetch resolves on the headers, as a browser acts on a redirect, before the body has ended.
    const posted = await fetch(new URL('/account/password', app.url), { method: 'POST', headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' })
    assert.equal(posted.status, 303)
    const next = await client.get(posted.headers.get('location')!)
    await posted.text()
    assert.equal(next.status, 200)
    assert.match(next.$('.govuk-notification-banner').text(), /Your password has been changed\./)
  })
})
