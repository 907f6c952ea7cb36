import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Express } from 'express'
import { POLICY, roleMayPerform, type Action } from '../../src/domain/policy.js'
import { GRANTABLE_ROLES, type AppRole, type GrantableRole } from '../../src/domain/roles.js'
import { registeredRoutes, type RouteSpec } from '../../src/routing.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestClient } from '../helpers/client.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'

/**
 * The route × role matrix, generated from the route table and the policy table: every route
 * must name a policy action, and every role must get exactly what the table says — allowed
 * roles reach the page (any answer but 403 or the sign-in redirect), others get 403.
 */
type Persona = { label: string; roles: GrantableRole[] }
const PERSONAS: Persona[] = [{ label: 'staff', roles: [] }, ...GRANTABLE_ROLES.map((r) => ({ label: r, roles: [r] }))]

interface Fixtures {
  org: TestOrganisation
  otherUser: TestUser
  users: Map<string, TestUser>
  ownConcern: Map<string, string>
}

/** Which record each path parameter names. A new parameterised route must add its fixture here. */
function resolvePath(route: RouteSpec, persona: Persona, f: Fixtures): string {
  const user = f.users.get(persona.label)!
  const resolvers: [RegExp, () => string][] = [
    [/^\/my-concerns\/:id$/, () => f.ownConcern.get(persona.label)!],
    [/^\/concerns\/:id\/confirmation$/, () => f.ownConcern.get(persona.label)!],
    [/^\/concerns\/:id/, () => f.ownConcern.get('staff')!],
    [/^\/admin\/users\/:id/, () => f.otherUser.id],
    [/^\/admin\/services\/:id/, () => f.org.services[0]!.id],
    // Triage (issue 3). Ids that name no record answer 404, which still shows the route was reached.
    [/^\/rota\/days\/:date$/, () => '2026-03-10'],
    [/^\/rota\/absences\/:id/, () => NO_SUCH_RECORD],
    [/^\/admin\/agencies\/:id/, () => NO_SUCH_RECORD],
    [/^\/admin\/emails\/:id/, () => NO_SUCH_RECORD],
    // Reporting (issue 5): an import batch.
    [/^\/reports\/import\/:id/, () => NO_SUCH_RECORD],
    // Case record, reviews and the person index (issue 4): meetings, people and merges by id.
    [/^\/reviews\/:id/, () => NO_SUCH_RECORD],
    [/^\/people\/:id/, () => NO_SUCH_RECORD],
    [/^\/people\/merges\/:mergeId/, () => NO_SUCH_RECORD],
    // Retention (issue 6): a case due for disposal.
    [/^\/records\/disposal\/:id/, () => NO_SUCH_RECORD],
  ]
  if (!route.path.includes(':')) return route.path
  const match = resolvers.find(([pattern]) => pattern.test(route.path))
  assert.ok(match, `No fixture for the parameters of ${route.method.toUpperCase()} ${route.path}: add one to the policy matrix test`)
  void user
  return route.path.replace(/:(id|date|mergeId)\b/, match[1]()).replace(/:(referralId|noteId|taskId|documentId|entryId|itemId)\b/g, NO_SUCH_RECORD)
}

const NO_SUCH_RECORD = '01900000-0000-7000-8000-000000000000'

function expressRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack
  return stack.filter((layer) => layer.route).flatMap((layer) => Object.keys(layer.route!.methods).filter((m) => m !== '_all').map((m) => `${m} ${layer.route!.path}`))
}

describe('policy matrix: every route × every role', () => {
  let app: TestApp
  const fixtures = {} as Fixtures
  const clients = new Map<string, TestClient>()

  before(async () => {
    app = await startTestApp()
    fixtures.org = await app.factories.organisation()
    fixtures.otherUser = await app.factories.user(fixtures.org, [], { name: 'Other Person' })
    fixtures.users = new Map()
    fixtures.ownConcern = new Map()
    for (const p of PERSONAS) {
      const user = await app.factories.user(fixtures.org, p.roles)
      fixtures.users.set(p.label, user)
      fixtures.ownConcern.set(p.label, (await app.factories.concern(user)).id)
      clients.set(p.label, await app.signedIn(user))
    }
  })
  after(() => app.stop())

  it('mounts no route outside the policy table', () => {
    const declared = new Set(registeredRoutes(getExpress(app)).map((r) => `${r.method} ${r.path}`))
    const mounted = expressRoutes(getExpress(app))
    assert.ok(mounted.length > 10)
    const undeclared = mounted.filter((r) => !declared.has(r))
    assert.deepEqual(undeclared, [], 'routes mounted without a policy action')
    for (const route of registeredRoutes(getExpress(app))) {
      assert.ok(Object.hasOwn(POLICY, route.action), `${route.path} names an unknown action ${route.action}`)
    }
  })

  it('gives every role exactly what the policy table says, on every route', async () => {
    // Signing out ends the persona's session, so it goes last.
    const routes = registeredRoutes(getExpress(app))
      .filter((r) => POLICY[r.action] !== 'anyone')
      .sort((a, b) => Number(a.path === '/sign-out') - Number(b.path === '/sign-out'))
    const differences: string[] = []
    for (const route of routes) {
      for (const persona of PERSONAS) {
        const client = clients.get(persona.label)!
        await client.get('/') // fresh CSRF token from a page this persona can see
        const path = resolvePath(route, persona, fixtures)
        const response = route.method === 'get' ? await client.get(path) : await client.post(path, {})
        const roles = new Set<AppRole>(['staff', ...persona.roles])
        const expected = roleMayPerform(roles, route.action as Action)
        // Signing out legitimately ends at the sign-in page; anywhere else that means "not let in".
        const reached = response.status !== 403 && (response.location !== '/sign-in' || route.path === '/sign-out')
        if (reached !== expected) differences.push(`${route.method.toUpperCase()} ${route.path} as ${persona.label}: expected ${expected ? 'allowed' : 'refused'}, got ${response.status}`)
        if (!expected) assert.match(response.text, /You do not have access to this page/)
      }
    }
    assert.deepEqual(differences, [])
  })

  it('sends signed-out visitors to sign in from every non-public route', async () => {
    const routes = registeredRoutes(getExpress(app)).filter((r) => POLICY[r.action] !== 'anyone')
    const anonymous = app.client()
    await anonymous.get('/sign-in')
    for (const route of routes) {
      const path = resolvePath(route, PERSONAS[0]!, fixtures)
      const response = route.method === 'get' ? await anonymous.get(path) : await anonymous.post(path, {})
      assert.equal(response.status, 303, `${route.method} ${route.path}`)
      assert.equal(response.location, '/sign-in', `${route.method} ${route.path}`)
    }
  })

  it('records every refusal in the audit log', async () => {
    const before = await app.database.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'access.denied').executeTakeFirstOrThrow()
    const staff = await app.signedIn(fixtures.users.get('staff')!)
    await staff.get('/queue')
    await staff.get('/admin/users')
    const afterCount = await app.database.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'access.denied').executeTakeFirstOrThrow()
    assert.equal(Number(afterCount.n) - Number(before.n), 2)
  })
})

function getExpress(app: TestApp): Express {
  return app.server.server.listeners('request')[0] as Express
}
