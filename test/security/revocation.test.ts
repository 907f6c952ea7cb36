import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GRANTABLE_ROLES } from '../../src/domain/roles.js'
import type { RouteSpec } from '../../src/routing.js'
import { countRows } from '../helpers/records.js'
import type { TestClient } from '../helpers/client.js'
import { isPublic, label, mayUse, routesOf } from './support/app-routes.js'
import { fillForm, formsOn, todayParts } from './support/page-forms.js'
import { visiblePaths } from './support/route-records.js'
import { buildWorld, type Persona, type World } from './support/world.js'

/**
 * Permission changes take effect on the next request (ASVS L3): an administrator removes a role
 * through the user page and every page that role opened is refused at once, in the same session;
 * deactivating someone ends every session they have, and their next request — page or form — does
 * nothing but send them to sign in.
 */
describe('access: revoking a role or deactivating a user takes effect on the next request', () => {
  let world: World
  let admin: TestClient

  before(async () => {
    world = await buildWorld()
    admin = world.persona('admin').client
  })
  after(() => world?.app.stop())

  /** GET pages the role opens that plain staff cannot, each filled with a record the persona may see. */
  function pagesOnlyTheRoleOpens(persona: Persona): { route: RouteSpec; path: string }[] {
    const staff = { roles: [] }
    return routesOf(world.app)
      .filter((r) => r.method === 'get' && !isPublic(r) && mayUse(persona, r) && !mayUse(staff, r))
      .map((route) => ({ route, path: visiblePaths(route, persona, world)[0]!.path }))
  }

  /** Saves the user's page with their roles set as given, as an administrator does. */
  async function setRoles(userId: string, roles: string[]): Promise<void> {
    const page = await admin.get(`/admin/users/${userId}`)
    const form = formsOn(page).find((f) => f.action === `/admin/users/${userId}`)
    assert.ok(form, 'the user page has its edit form')
    const body = fillForm(form, todayParts(world.app.clock.now()), (c) => (c.name === 'roles' ? roles : undefined))
    const saved = await admin.post(form.action, body)
    assert.equal(saved.status, 303, `saving the roles failed: ${saved.status}`)
  }

  it('refuses every page of a removed role on the very next request, and restores them when granted again', async () => {
    let checked = 0
    for (const role of GRANTABLE_ROLES.filter((r) => r !== 'admin')) {
      const persona = world.personas.find((p) => p.roles.length === 1 && p.roles[0] === role)!
      const pages = pagesOnlyTheRoleOpens(persona)
      assert.ok(pages.length > 0, `${role} opens at least one page staff cannot`)
      // Before and after, one page shows the role works; the refusal is checked on every page.
      assert.notEqual((await persona.client.get(pages[0]!.path)).status, 403, `${label(pages[0]!.route)} before`)

      await setRoles(persona.user.id, [])
      for (const { route, path } of pages) {
        const page = await persona.client.get(path)
        assert.equal(page.status, 403, `${label(route)} as ${role} after the role was removed`)
        checked++
      }
      await setRoles(persona.user.id, [role])
      assert.notEqual((await persona.client.get(pages[0]!.path)).status, 403, `${label(pages[0]!.route)} once granted again`)
    }
    console.log(`revocation: ${checked} pages refused on the first request after their role was removed`)
  })

  it('ends a deactivated person’s sessions at once: no page, and no form, works for them again', async () => {
    const dso = world.persona('dso')
    const otherSession = await world.app.signedIn(dso.user)
    assert.equal((await dso.client.get('/queue')).status, 200)
    const raisePage = await otherSession.get('/concerns/new')
    assert.equal(raisePage.status, 200)

    const userPage = await admin.get(`/admin/users/${dso.user.id}`)
    const deactivate = formsOn(userPage).find((f) => f.action === `/admin/users/${dso.user.id}/active`)
    assert.ok(deactivate, 'the user page has the deactivate form')
    const done = await admin.post(deactivate.action, fillForm(deactivate, todayParts(world.app.clock.now())))
    assert.equal(done.status, 303)

    const sessions = await world.app.database.db.selectFrom('http_session').select('sid').where('user_id', '=', dso.user.id).execute()
    assert.deepEqual(sessions, [], 'every session of theirs is gone')
    const next = await dso.client.get('/queue')
    assert.equal(next.status, 303)
    assert.equal(next.location, '/sign-in')

    // A form they had open in the other session sends them to sign in and saves nothing.
    const concernsBefore = await countRows(world.app.database.db, 'concern')
    const posted = await otherSession.post('/concerns/new', { personName: 'Someone' })
    assert.ok(posted.status === 303 || posted.status === 403, `refused, got ${posted.status}`)
    assert.notEqual(posted.location, '/concerns/new/check', 'the form did not go through')
    assert.equal(await countRows(world.app.database.db, 'concern'), concernsBefore)
    const signIn = await world.app.client().get('/sign-in')
    assert.equal(signIn.status, 200)
    const attempt = await world.app.client()
    await attempt.get('/sign-in')
    const refused = await attempt.post('/sign-in', { email: dso.user.email, password: dso.user.password })
    assert.equal(refused.status, 400, 'they cannot sign in again')
  })
})
