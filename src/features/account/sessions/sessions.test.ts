import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { sessionHandle } from '../../../domain/own-sessions.js'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { headingText, TestClient, type Page } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'
const EDGE_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0'

interface Row {
  browser: string
  signedIn: string
  lastUsed: string
  current: boolean
  handle: string | undefined
}

describe('your sessions', () => {
  let app: TestApp
  let org: TestOrganisation

  // 10:15 UTC in July is 11:15am in London (British Summer Time).
  before(async () => {
    app = await startTestApp({ now: '2026-07-09T10:15:00Z' })
    org = await app.factories.organisation()
  })
  after(() => app.stop())

  /** Signs in from a browser that says it is `userAgent`, as the real sign-in form does. */
  async function signInAs(user: TestUser, userAgent: string): Promise<TestClient> {
    const client = new TestClient(app.url)
    const headers = { 'user-agent': userAgent }
    await client.request('GET', '/sign-in', { headers })
    const body = new URLSearchParams({ email: user.email, password: user.password, _csrf: client.lastCsrfToken! })
    const signedIn = await client.request('POST', '/sign-in', { body, headers })
    assert.equal(signedIn.status, 303, `sign-in as ${user.email}`)
    return client
  }

  async function openPage(client: TestClient): Promise<Page> {
    const page = await client.get('/account/sessions')
    assert.equal(page.status, 200)
    assert.equal(headingText(page), 'Your sessions')
    return page
  }

  function rows(page: Page): Row[] {
    return page
      .$('#sessions tbody tr')
      .map((_, tr) => {
        const $tr = page.$(tr)
        const cells = $tr.find('td')
        return {
          browser: $tr.find('th').clone().children('strong').remove().end().text().trim(),
          signedIn: cells.eq(0).text().trim(),
          lastUsed: cells.eq(1).text().trim(),
          current: $tr.find('.govuk-tag').text().trim() === 'This device',
          handle: $tr.find('input[name="session"]').attr('value'),
        }
      })
      .get()
  }

  const sessionRows = (user: TestUser) => app.database.db.selectFrom('http_session').select(['sid', 'data']).where('user_id', '=', user.id).execute()
  const auditRows = (user: TestUser) =>
    app.database.db.selectFrom('audit_event').select(['action', 'outcome', 'actor_user_id', 'record_id', 'details']).where('actor_user_id', '=', user.id).where('action', 'like', 'session.%').orderBy('seq').execute()

  it('lists the person’s own sessions, this one first and marked, with browser and London times, and never a session id', async () => {
    const user = await app.factories.user(org)
    const stranger = await app.factories.user(org)
    const phone = await signInAs(user, SAFARI_IPHONE)
    app.clock.advance(5 * 60_000)
    const laptop = await signInAs(user, FIREFOX_WINDOWS)
    await signInAs(stranger, EDGE_MAC)
    app.clock.advance(2 * 60_000)
    assert.equal((await phone.get('/')).status, 200, 'the phone is used at 11:22am')

    const page = await openPage(laptop)
    assert.deepEqual(rows(page).map(({ handle, ...rest }) => ({ ...rest, hasButton: handle !== undefined })), [
      { browser: 'Firefox on Windows', signedIn: '9 July 2026 at 11:20am', lastUsed: 'Now', current: true, hasButton: false },
      { browser: 'Safari on iPhone', signedIn: '9 July 2026 at 11:15am', lastUsed: '9 July 2026 at 11:22am', current: false, hasButton: true },
    ])
    assert.equal(page.$('button:contains("Sign out of all other sessions")').length, 1)
    assert.doesNotMatch(page.text, /Edge on Mac/, 'another person’s session is never shown')
    for (const { sid } of [...(await sessionRows(user)), ...(await sessionRows(stranger))]) {
      assert.ok(!page.text.includes(sid), 'no session id appears in the page')
    }
    // The full User-Agent is not kept: only the few words shown.
    const stored = (await sessionRows(user)).map((r) => JSON.stringify(r.data))
    assert.ok(stored.every((data) => !data.includes('Mozilla') && !data.includes('127.0.0.1')))

    assert.deepEqual(await auditRows(user), [], 'looking at the list is not audited')
  })

  it('shows a session from before browsers were recorded sensibly', async () => {
    const user = await app.factories.user(org)
    const old = await signInAs(user, CHROME_ANDROID)
    const oldSid = (await sessionRows(user))[0]!.sid
    await app.database.db.updateTable('http_session').set({ data: sql`data - 'browser'` }).where('sid', '=', oldSid).execute()
    const current = await signInAs(user, FIREFOX_WINDOWS)
    const page = await openPage(current)
    assert.deepEqual(
      rows(page).map((r) => [r.browser, r.signedIn, r.current]),
      [
        ['Firefox on Windows', '9 July 2026 at 11:22am', true],
        ['Browser not recorded', '9 July 2026 at 11:22am', false],
      ],
    )
    assert.equal((await old.get('/')).status, 200, 'the old session still works')
  })

  it('signs out of every other session, keeps this one, audits it, and leaves other people alone', async () => {
    const user = await app.factories.user(org)
    const colleague = await app.factories.user(org)
    const a = await signInAs(user, FIREFOX_WINDOWS)
    const b = await signInAs(user, SAFARI_IPHONE)
    const c = await signInAs(user, CHROME_ANDROID)
    const colleagueClient = await signInAs(colleague, FIREFOX_WINDOWS)
    const colleagueSessions = await sessionRows(colleague)

    await openPage(a)
    const done = await a.post('/account/sessions/sign-out-others')
    assert.equal(done.status, 303)
    assert.equal(done.location, '/account/sessions')
    const after = await a.follow(done)
    assert.equal(after.status, 200, 'this session carries on')
    assert.match(after.$('.govuk-notification-banner').text(), /You have been signed out of 2 other sessions\./)
    assert.deepEqual(rows(after).map((r) => r.current), [true])
    assert.match(after.text, /You are not signed in anywhere else\./)

    for (const [name, client] of [['B', b], ['C', c]] as const) {
      const next = await client.get('/')
      assert.equal(next.status, 303, name)
      assert.equal(next.location, '/sign-in', `${name} has to sign in again`)
    }
    assert.equal((await a.get('/')).status, 200)
    assert.equal((await colleagueClient.get('/')).status, 200, 'a colleague stays signed in')
    assert.deepEqual((await sessionRows(colleague)).map((r) => r.sid), colleagueSessions.map((r) => r.sid))

    assert.deepEqual(await auditRows(user), [{ action: 'session.sign-out-others', outcome: 'success', actor_user_id: user.id, record_id: user.id, details: { sessions_ended: 2 } }])
  })

  it('signs out of one other session, named by a handle that only finds the person’s own sessions', async () => {
    const user = await app.factories.user(org)
    const colleague = await app.factories.user(org)
    const a = await signInAs(user, FIREFOX_WINDOWS)
    const b = await signInAs(user, SAFARI_IPHONE)
    const c = await signInAs(user, CHROME_ANDROID)
    const colleagueClient = await signInAs(colleague, EDGE_MAC)

    const page = await openPage(a)
    const phone = rows(page).find((r) => r.browser === 'Safari on iPhone')!
    assert.match(phone.handle!, /^[A-Za-z0-9_-]{43}$/)
    assert.match(page.$(`input[value="${phone.handle}"]`).closest('form').find('button').text(), /Sign out\s+of Safari on iPhone, signed in 9 July 2026 at/)
    const done = await a.post('/account/sessions/sign-out', { session: phone.handle! })
    assert.equal(done.location, '/account/sessions')
    const after = await a.follow(done)
    assert.match(after.$('.govuk-notification-banner').text(), /You have been signed out of that session\./)
    assert.deepEqual(rows(after).map((r) => r.browser), ['Firefox on Windows', 'Chrome on Android'])
    assert.equal((await b.get('/')).location, '/sign-in', 'the phone is signed out')
    assert.equal((await c.get('/')).status, 200, 'the other one is not')

    // A handle for a colleague's session (worked out here with the server's key, as nobody else
    // could) or for this very session ends nothing.
    const key = app.server.deps.config.sessionSecret
    const colleagueHandle = sessionHandle(key, (await sessionRows(colleague))[0]!.sid)
    const ownHandle = sessionHandle(key, decodeURIComponent(a.sessionCookie!).replace(/^s:/, '').replace(/\..*$/, ''))
    for (const handle of [colleagueHandle, ownHandle, phone.handle!]) {
      await a.get('/account/sessions')
      const refused = await a.follow(await a.post('/account/sessions/sign-out', { session: handle }))
      assert.match(refused.$('.govuk-notification-banner').text(), /That session had already ended\./)
    }
    assert.equal((await colleagueClient.get('/')).status, 200, 'the colleague is still signed in')
    assert.equal((await a.get('/')).status, 200, 'and so is this session')

    await a.get('/account/sessions')
    assert.equal((await a.post('/account/sessions/sign-out', { session: 'not a handle' })).status, 400)

    assert.deepEqual(
      (await auditRows(user)).map((r) => [r.action, r.outcome, r.details]),
      [
        ['session.sign-out-other', 'success', { sessions_ended: 1 }],
        ['session.sign-out-other', 'failure', { sessions_ended: 0 }],
        ['session.sign-out-other', 'failure', { sessions_ended: 0 }],
        ['session.sign-out-other', 'failure', { sessions_ended: 0 }],
      ],
    )
  })

  it('needs the CSRF token, and without it changes nothing', async () => {
    const user = await app.factories.user(org)
    const a = await signInAs(user, FIREFOX_WINDOWS)
    const b = await signInAs(user, SAFARI_IPHONE)
    const page = await openPage(a)
    const before = await sessionRows(user)
    const handle = rows(page).find((r) => !r.current)!.handle!
    assert.equal((await a.post('/account/sessions/sign-out-others', {}, { csrf: false })).status, 403)
    assert.equal((await a.post('/account/sessions/sign-out', { session: handle }, { csrf: false })).status, 403)
    assert.equal((await a.post('/account/sessions/sign-out-others', { _csrf: 'forged' })).status, 403)
    assert.deepEqual((await sessionRows(user)).map((r) => r.sid).sort(), before.map((r) => r.sid).sort())
    assert.equal((await b.get('/')).status, 200, 'the other session carries on')
    assert.deepEqual(await auditRows(user), [])
  })

  it('is reached from the home page and needs a signed-in person', async () => {
    const user = await app.factories.user(org)
    const client = await signInAs(user, FIREFOX_WINDOWS)
    const home = await client.get('/')
    assert.equal(home.$('a:contains("Your sessions")').attr('href'), '/account/sessions')
    const stranger = app.client()
    const page = await stranger.get('/account/sessions')
    assert.equal(page.location, '/sign-in')
  })
})
