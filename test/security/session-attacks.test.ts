import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { RouteSpec } from '../../src/routing.js'
import { TestClient } from '../helpers/client.js'
import { endsSession, isPublic, label, mayUse, routesOf } from './support/app-routes.js'
import { countChanges, rowCounts } from './support/fingerprint.js'
import { visiblePaths } from './support/route-records.js'
import { buildWorld, type Persona, type World } from './support/world.js'

/** The session id inside the signed cookie value (`s:<sid>.<signature>`, URL-encoded). */
function sidOf(client: TestClient): string {
  const raw = decodeURIComponent(client.sessionCookie!)
  return raw.slice(2, raw.lastIndexOf('.'))
}

/** A cookie value for a session id, signed as express-session signs it. */
function signedCookie(sid: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')
  return encodeURIComponent(`s:${sid}.${signature}`)
}

/**
 * Session attacks at the security level: a session id planted before sign-in is worthless after
 * it (fixation); a stolen cookie from a session past its idle or absolute limit opens nothing,
 * on any route, page or form, even with the session's own CSRF token.
 */
describe('browser attacks: session fixation and expired sessions', () => {
  let world: World

  before(async () => {
    world = await buildWorld()
  })
  after(() => world?.app.stop())

  it('gives a new session id at sign-in, so an id planted beforehand never becomes signed in', async () => {
    const db = world.app.database.db
    const victim = world.persona('dso').user

    // The attacker gets an ordinary anonymous session and plants its cookie in the victim's browser.
    const attacker = world.app.client()
    await attacker.get('/sign-in')
    const planted = attacker.sessionCookie!
    assert.ok(planted, 'the sign-in page sets a session cookie (it carries the CSRF token)')
    const browser = world.app.client()
    browser.setCookie('kestrel', planted)
    const signInPage = await browser.get('/sign-in')
    const signedIn = await browser.post('/sign-in', { email: victim.email, password: victim.password, _csrf: signInPage.$('input[name="_csrf"]').attr('value')! })
    assert.equal(signedIn.status, 303)
    assert.notEqual(browser.sessionCookie, planted, 'the victim got a new session id')
    assert.equal(await db.selectFrom('http_session').select('sid').where('sid', '=', sidOf(attacker)).executeTakeFirst(), undefined, 'the planted session is gone')

    const attackerView = await attacker.get('/queue')
    assert.equal(attackerView.status, 303)
    assert.equal(attackerView.location, '/sign-in', 'the planted id is not signed in')
    assert.equal((await browser.get('/queue')).status, 200, 'the victim is')

    // An id the attacker makes up (with no valid signature) is ignored and replaced.
    const madeUp = world.app.client()
    madeUp.setCookie('kestrel', signedCookie('attacker-chosen-id', 'not-the-secret'))
    const page = await madeUp.get('/sign-in')
    const signedIn2 = await madeUp.post('/sign-in', { email: victim.email, password: victim.password, _csrf: page.$('input[name="_csrf"]').attr('value')! })
    assert.equal(signedIn2.status, 303)
    assert.notEqual(sidOf(madeUp), 'attacker-chosen-id')

    // Signing out ends the session on the server: the old cookie replayed opens nothing.
    const stolen = browser.sessionCookie!
    await browser.get('/')
    await browser.post('/sign-out')
    const replay = world.app.client()
    replay.setCookie('kestrel', stolen)
    assert.equal((await replay.get('/queue')).location, '/sign-in')
  })

  /**
   * Copies of a real signed-in session, moved back in time, one per route: each route meets a
   * session that has just passed its limit (the first request after a limit ends the session).
   */
  async function expiredCopies(persona: Persona, shape: 'idle' | 'absolute', count: number): Promise<{ cookie: string; token: string }[]> {
    const db = world.app.database.db
    const { config } = world.app.server.deps
    await persona.client.get('/')
    const row = await db.selectFrom('http_session').selectAll().where('sid', '=', sidOf(persona.client)).executeTakeFirstOrThrow()
    const now = world.app.clock.now().getTime()
    const data = row.data as Record<string, unknown> & { csrfToken: string }
    const timing =
      shape === 'idle'
        ? { createdAt: now - config.sessionIdleMs - 120_000, lastSeenAt: now - config.sessionIdleMs - 1_000 }
        : { createdAt: now - config.sessionAbsoluteMs - 1_000, lastSeenAt: now - 60_000 }
    const copies: { cookie: string; token: string }[] = []
    for (let i = 0; i < count; i++) {
      const sid = randomBytes(24).toString('base64url')
      await db
        .insertInto('http_session')
        .values({ sid, organisation_id: row.organisation_id, user_id: row.user_id, data: JSON.stringify({ ...data, ...timing }), expires_at: new Date(Math.min(timing.lastSeenAt + config.sessionIdleMs, timing.createdAt + config.sessionAbsoluteMs)) })
        .execute()
      copies.push({ cookie: signedCookie(sid, config.sessionSecret), token: data.csrfToken })
    }
    return copies
  }

  for (const shape of ['idle', 'absolute'] as const) {
    it(`opens nothing with a session past its ${shape} limit, on any route, page or form`, async () => {
      const db = world.app.database.db
      const routes: RouteSpec[] = routesOf(world.app).filter((r) => !isPublic(r) && !endsSession(r))
      const persona = world.persona('safeguarding_manager')
      const admin = world.persona('admin')
      const failures: string[] = []
      const before = await rowCounts(db)
      let tried = 0
      for (const who of [persona, admin]) {
        const mine = routes.filter((r) => mayUse(who, r))
        const copies = await expiredCopies(who, shape, mine.length)
        for (const [i, route] of mine.entries()) {
          const client = new TestClient(world.app.url)
          client.setCookie('kestrel', copies[i]!.cookie)
          const path = visiblePaths(route, who, world)[0]!.path
          const page = route.method === 'get' ? await client.get(path) : await client.post(path, { _csrf: copies[i]!.token })
          tried++
          if (page.status !== 303 || page.location !== '/sign-in') failures.push(`${label(route)}: ${page.status} ${page.location ?? ''}`)
          // The next request with the same cookie is no better.
          const again = await client.get('/')
          if (again.location !== '/sign-in') failures.push(`${label(route)}: the expired session came back`)
        }
      }
      assert.deepEqual(failures, [])
      assert.deepEqual(countChanges(before, await rowCounts(db), ['audit_event', 'audit_chain_head']), [], 'an expired session changed something')
      console.log(`sessions: ${tried} routes refused with a session past its ${shape} limit`)
    })
  }
})
