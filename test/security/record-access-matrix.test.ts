import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { newId } from '../../src/ids.js'
import type { RouteSpec } from '../../src/routing.js'
import type { Page, TestClient } from '../helpers/client.js'
import { endsSession, isPublic, label, mayUse, normaliseBody, routesOf } from './support/app-routes.js'
import { familyOf, resolveAll } from './support/route-records.js'
import { buildWorld, RECORD_KINDS, type Persona, type World } from './support/world.js'

/**
 * The role × route × record matrix, generated from the route table, the policy table and the
 * record families: every route, GET and POST, as every role, against a record of every kind
 * (own, allocated to them, the team's, restricted without naming them, restricted naming them,
 * another organisation's). The policy table decides 403; a record the person may not see answers
 * 404 with exactly the page a path that does not exist gets; everything else reaches the page.
 */
describe('access: the role × route × record matrix', () => {
  let world: World

  before(async () => {
    const started = Date.now()
    world = await buildWorld()
    console.log(`record matrix: world of ${world.personas.length} personas and ${[...world.concerns.values()].reduce((n, l) => n + l.length, 0)} record views built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  })
  after(() => world?.app.stop())

  /** "Page not found" for a path that does not exist, as this persona sees it now. */
  async function notFoundPage(client: TestClient, method: string): Promise<Page> {
    const path = `/no-such-page-${newId()}`
    return method === 'get' ? client.get(path) : client.post(path, {})
  }

  function send(client: TestClient, route: RouteSpec, path: string): Promise<Page> {
    return route.method === 'get' ? client.get(path) : client.post(path, {})
  }

  it('answers every role, on every route and every kind of record, exactly as the tables say', async () => {
    const routes = routesOf(world.app).filter((r) => !isPublic(r) && !endsSession(r))
    const differences: string[] = []
    const counts = { requests: 0, reached: 0, refused403: 0, hidden404: 0 }
    const kindsSeen = new Map<string, Set<string>>()

    async function check(route: RouteSpec, persona: Persona) {
      // Every page carries the session's one CSRF token, so the last page loaded supplies it.
      const client = persona.client
      const allowed = mayUse(persona, route)
      // A refusal by role comes before any record is loaded: one record they could never see shows
      // the refusal is the same 403 (no 404 to tell records apart). Where the persona is let in,
      // one record of each kind (and each hidden child) is enough: the rules are by kind.
      const all = resolveAll(route, persona, world)
      const targets = allowed
        ? all.filter((t, i) => all.findIndex((o) => o.record?.kind === t.record?.kind && o.hiddenChild === t.hiddenChild) === i)
        : [all.find((t) => !t.visible) ?? all[0]!]
      for (const target of targets) {
        const page = await send(client, route, target.path)
        counts.requests++
        const where = `${label(route)} as ${persona.label} on ${target.record ? `${target.record.kind} (${target.record.state})` : 'no record'}: `
        if (target.record && allowed) (kindsSeen.get(label(route)) ?? kindsSeen.set(label(route), new Set()).get(label(route))!).add(target.record.kind)

        if (target.record?.canary && page.text.includes(target.record.canary)) differences.push(`${where}the page shows the hidden record`)
        if (page.status >= 500) differences.push(`${where}server error ${page.status}`)
        if (!allowed) {
          counts.refused403++
          if (page.status !== 403 || !/You do not have access to this page/.test(page.text)) differences.push(`${where}expected 403, got ${page.status}`)
        } else if (!target.visible) {
          counts.hidden404++
          if (page.status !== 404) differences.push(`${where}expected 404, got ${page.status}`)
          else if (!(await sameAsNotFound(client, route, target.path, page))) differences.push(`${where}the 404 page differs from a path that does not exist`)
        } else {
          counts.reached++
          const reached = page.status !== 403 && page.status !== 404 && page.location !== '/sign-in'
          if (!reached) differences.push(`${where}expected to reach the page, got ${page.status} ${page.location ?? ''}`)
        }
      }
    }

    const started = Date.now()
    for (const route of routes) {
      // Personas have their own sessions, so they go at once; each one's requests stay in order.
      await Promise.all(world.personas.map((persona) => check(route, persona)))
    }
    const recordRoutes = routes.filter((r) => familyOf(r))
    console.log(
      `record matrix: ${routes.length} routes (${recordRoutes.length} naming records) × ${world.personas.length} roles: ${counts.requests} requests — ${counts.reached} reached, ${counts.refused403} refused (403), ${counts.hidden404} hidden (404), in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
    assert.deepEqual(differences, [])
    // Every record route was tried against every kind of record that can name it.
    for (const route of recordRoutes) {
      const kinds = kindsSeen.get(label(route)) ?? new Set()
      const family = familyOf(route)!
      const possible = RECORD_KINDS.filter((k) => world.personas.some((p) => mayUse(p, route) && family.records(world, p).some((r) => r.kind === k)))
      const missing = possible.filter((k) => !kinds.has(k))
      assert.deepEqual(missing, [], `${label(route)} was not tried against every kind of record the roles it allows have`)
      assert.ok(kinds.has('other-org'), `${label(route)} was never tried with another organisation's record`)
    }
  })

  /**
   * The invisible record's 404 is byte-for-byte the not-found page once the nonce and CSRF token
   * are removed. A flash message left by an earlier form is shown once, so a mismatch is retried.
   */
  const references = new Map<string, Page>()
  async function sameAsNotFound(client: TestClient, route: RouteSpec, path: string, page: Page): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = attempt < 2 ? page : await send(client, route, path)
      // The reference is kept per session and method, and fetched afresh when it differs (a
      // notification count or a one-off flash message may have changed the page since).
      const key = `${client.sessionCookie} ${route.method}`
      if (attempt > 0 || !references.has(key)) references.set(key, await notFoundPage(client, route.method))
      const reference = references.get(key)!
      if (reference.status === 404 && normaliseBody(current.text) === normaliseBody(reference.text) && current.headers.get('content-type') === reference.headers.get('content-type')) return true
    }
    return false
  }

  it('answers a well-formed id that names nothing, and a malformed one, with the same not-found page', async () => {
    const routes = routesOf(world.app).filter((r) => !isPublic(r) && familyOf(r))
    const problems: string[] = []
    for (const route of routes) {
      const persona = world.personas.find((p: Persona) => mayUse(p, route))
      if (!persona) continue
      for (const bogus of [newId(), 'not-an-id']) {
        const path = route.path.replace(/:[A-Za-z]+/g, bogus)
        const page = await send(persona.client, route, path)
        if (page.status !== 404) problems.push(`${label(route)} with ${bogus}: ${page.status}`)
        else if (!(await sameAsNotFound(persona.client, route, path, page))) problems.push(`${label(route)} with ${bogus}: the page differs from not found`)
      }
    }
    assert.deepEqual(problems, [])
  })
})
