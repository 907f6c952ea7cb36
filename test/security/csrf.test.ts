import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { RouteSpec } from '../../src/routing.js'
import { TestClient, type Page } from '../helpers/client.js'
import { endsSession, isPublic, label, mayUse, routesOf } from './support/app-routes.js'
import { countChanges, rowCounts } from './support/fingerprint.js'
import { fillForm, formsOn, todayParts } from './support/page-forms.js'
import { visiblePaths } from './support/route-records.js'
import { buildWorld, type World } from './support/world.js'

/**
 * Cross-site request forgery, on every POST route the app has: without a token, with another
 * session's token, from another site (its Origin or Sec-Fetch-Site), and as a browser would send
 * it from another site (SameSite=Lax keeps the cookie back). Every one is refused with the 403
 * "form has expired" page, changes nothing, and is audited against the session's user.
 */
describe('browser attacks: cross-site request forgery on every form', () => {
  let world: World

  before(async () => {
    world = await buildWorld()
  })
  after(() => world?.app.stop())

  function isCsrfRefusal(page: Page): boolean {
    return page.status === 403 && /This form has expired/.test(page.text)
  }

  /** A body as the page's own form would send it, when a page with that form exists; else empty. */
  async function realisticBody(client: TestClient, path: string): Promise<URLSearchParams> {
    const page = await client.get(path)
    const form = formsOn(page).find((f) => f.method === 'post' && f.action === path)
    return form ? fillForm(form, todayParts(world.app.clock.now())) : new URLSearchParams()
  }

  it('refuses every forged post, changes nothing, and audits each refusal', async () => {
    const db = world.app.database.db
    const routes = routesOf(world.app).filter((r) => r.method === 'post' && !endsSession(r))
    const victim = world.persona('safeguarding_manager')
    const attacker = world.persona('staff')
    await attacker.client.get('/')
    const attackersToken = attacker.client.lastCsrfToken!
    const failures: string[] = []
    let attempts = 0
    let auditedExpected = 0
    const forgedRequests = new Set<string>()

    const targets: { route: RouteSpec; client: TestClient; path: string; body: URLSearchParams; signedIn: boolean }[] = []
    for (const route of routes) {
      if (isPublic(route)) {
        const anonymous = world.app.client()
        await anonymous.get('/sign-in')
        const path = route.path
        targets.push({ route, client: anonymous, path, body: await realisticBody(anonymous, path), signedIn: false })
        continue
      }
      const persona = mayUse(victim, route) ? victim : world.personas.find((p) => mayUse(p, route))!
      const path = visiblePaths(route, persona, world)[0]!.path
      targets.push({ route, client: persona.client, path, body: await realisticBody(persona.client, path), signedIn: true })
    }

    // Loading the forms above may itself write (an authenticator set-up starts): count from here.
    const countsBefore = await rowCounts(db)
    const auditBefore = new Set((await db.selectFrom('audit_event').select('id').execute()).map((r) => r.id))

    for (const { route, client, path, body, signedIn } of targets) {
      await client.get(signedIn ? '/' : '/sign-in')
      const token = client.lastCsrfToken!
      const withToken = (t: string) => {
        const b = new URLSearchParams(body)
        b.set('_csrf', t)
        return b
      }
      const withoutToken = new URLSearchParams(body)
      withoutToken.delete('_csrf')
      const forged: [string, () => Promise<Page>][] = [
        ['no token', () => client.request('POST', path, { body: withoutToken })],
        ['another session’s token', () => client.request('POST', path, { body: withToken(attackersToken) })],
        ['a valid token, posted from another site (Origin)', () => client.request('POST', path, { body: withToken(token), headers: { origin: 'https://attacker.example' } })],
        ['a valid token, posted from another site (Sec-Fetch-Site)', () => client.request('POST', path, { body: withToken(token), headers: { 'sec-fetch-site': 'cross-site', origin: 'null' } })],
        ['a valid token, posted from a sibling site (Sec-Fetch-Site)', () => client.request('POST', path, { body: withToken(token), headers: { 'sec-fetch-site': 'same-site' } })],
      ]
      for (const [how, send] of forged) {
        const page = await send()
        forgedRequests.add(page.headers.get('x-request-id')!)
        attempts++
        if (signedIn) auditedExpected++
        if (!isCsrfRefusal(page)) failures.push(`${label(route)} with ${how}: ${page.status} ${page.location ?? ''}`)
      }
      // From another site, a browser holds back the SameSite=Lax cookie: the post arrives with no session.
      const crossSiteBrowser = new TestClient(world.app.url)
      const page = await crossSiteBrowser.request('POST', path, { body: withToken(token), headers: { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' } })
      attempts++
      if (!isCsrfRefusal(page)) failures.push(`${label(route)} from another site without the cookie: ${page.status}`)
    }

    const countsAfter = await rowCounts(db)
    assert.deepEqual(failures, [])
    assert.deepEqual(countChanges(countsBefore, countsAfter, ['audit_event', 'audit_chain_head']), [], 'a forged post changed something')
    // Pages loaded in between (home) audit their own reads; the forged posts left only refusals.
    const added = (await db.selectFrom('audit_event').select(['id', 'action', 'outcome', 'request_id']).execute()).filter((r) => !auditBefore.has(r.id) && forgedRequests.has(r.request_id!))
    assert.deepEqual(
      [...new Set(added.map((r) => `${r.action} ${r.outcome}`))],
      ['csrf.refused denied'],
      'the only audit rows the forged posts left are the refusals',
    )
    assert.equal(added.length, auditedExpected, 'every refusal of a signed-in session is audited')
    console.log(`csrf: ${routes.length} POST routes, ${attempts} forged posts refused, ${added.length} refusals audited, no rows changed`)
  })

  it('lets the same posts through with the session’s own token from the same site (the refusals above were the token)', async () => {
    const routes = routesOf(world.app).filter((r) => r.method === 'post' && !endsSession(r))
    const wrongly: string[] = []
    for (const route of routes) {
      const client = isPublic(route) ? world.app.client() : world.personas.find((p) => mayUse(p, route))!.client
      const path = isPublic(route) ? route.path : visiblePaths(route, world.personas.find((p) => mayUse(p, route))!, world)[0]!.path
      await client.get(isPublic(route) ? '/sign-in' : '/')
      const page = await client.request('POST', path, { body: new URLSearchParams({ _csrf: client.lastCsrfToken! }), headers: { origin: new URL(world.app.url).origin, 'sec-fetch-site': 'same-origin' } })
      if (isCsrfRefusal(page)) wrongly.push(label(route))
    }
    assert.deepEqual(wrongly, [])
  })
})
