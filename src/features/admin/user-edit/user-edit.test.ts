import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText, type Page, type TestClient } from '../../../../test/helpers/client.js'
import { TEST_PASSWORD, type TestOrganisation, type TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'
import { userEditForm } from '../../../../test/helpers/user-form.js'

async function sessionsOf(app: TestApp, userId: string): Promise<number> {
  const rows = await app.database.db.selectFrom('http_session').select('sid').where('user_id', '=', userId).execute()
  return rows.length
}

describe('editing a user', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    admin = await app.factories.user(org, ['admin'], { name: 'Adrian Admin' })
  })
  after(() => app.stop())

  async function openAccount(client: TestClient, user: { id: string }): Promise<Page> {
    const page = await client.get(`/admin/users/${user.id}`)
    assert.equal(page.status, 200)
    return page
  }

  it('changes roles, and the change applies on the user’s very next request', async () => {
    const officer = await app.factories.user(org, ['dso'], { name: 'Dana Officer' })
    const officerClient = await app.signedIn(officer)
    assert.equal((await officerClient.get('/queue')).status, 200)

    const adminClient = await app.signedIn(admin)
    const page = await openAccount(adminClient, officer)
    assert.equal(headingText(page), 'Dana Officer')
    const seq = await lastAuditSeq(app.database.db, org.id)
    const saved = await adminClient.post(`/admin/users/${officer.id}`, { ...userEditForm(page), roles: ['auditor'] })
    assert.equal(saved.status, 303)
    assert.equal(saved.location, `/admin/users/${officer.id}`)

    assert.equal((await officerClient.get('/queue')).status, 403, 'the DSO role is gone from the existing session')
    assert.equal((await officerClient.get('/')).status, 200, 'the session itself carries on')
    const audit = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(
      audit.map((r) => [r.action, r.actor_user_id, r.record_id, r.details]),
      [
        ['user.update', admin.id, officer.id, { fields: ['roles'], roles_before: ['dso'], roles_after: ['auditor'] }],
        ['access.denied', officer.id, null, { method: 'GET', policy_action: 'concern:queue', route: '/queue' }],
      ],
    )

    const again = await openAccount(adminClient, officer)
    await adminClient.post(`/admin/users/${officer.id}`, { ...userEditForm(again), roles: ['dso'] })
    assert.equal((await officerClient.get('/queue')).status, 200, 'and given back just as quickly')
  })

  it('changes the name, email and service, and can take every role away', async () => {
    const person = await app.factories.user(org, ['dso', 'auditor'], { name: 'Old Name' })
    const client = await app.signedIn(admin)
    const page = await openAccount(client, person)
    const { roles: _, ...withoutRoles } = userEditForm(page)
    const saved = await client.post(`/admin/users/${person.id}`, { ...withoutRoles, displayName: 'New Name', email: 'New.Name@Test.example', serviceId: org.services[2]!.id })
    assert.equal(saved.status, 303)
    const row = await app.database.db.selectFrom('app_user').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow()
    assert.equal(row.display_name, 'New Name')
    assert.equal(row.email, 'new.name@test.example')
    assert.equal(row.service_id, org.services[2]!.id)
    assert.equal(row.version, 2)
    const roles = await app.database.db.selectFrom('user_role').select('role').where('user_id', '=', person.id).execute()
    assert.deepEqual(roles, [])
    const shown = await client.get(saved.location!)
    assert.match(shown.$('.govuk-notification-banner').text(), /New Name’s account has been updated/)
  })

  it('refuses errors and an email address someone else has, changing nothing', async () => {
    const person = await app.factories.user(org, [], { name: 'Kept Name' })
    const other = await app.factories.user(org)
    const client = await app.signedIn(admin)
    const page = await openAccount(client, person)
    const blank = await client.post(`/admin/users/${person.id}`, { ...userEditForm(page), displayName: '' })
    assert.equal(blank.status, 400)
    assert.deepEqual(errorSummary(blank), ['Enter their full name'])
    const taken = await client.post(`/admin/users/${person.id}`, { ...userEditForm(page), email: other.email.toUpperCase() })
    assert.equal(taken.status, 400)
    assert.deepEqual(errorSummary(taken), ['There is already an account with this email address'])
    assert.equal(taken.$('#email').attr('value'), other.email.toUpperCase())
    const row = await app.database.db.selectFrom('app_user').select(['display_name', 'email', 'version']).where('id', '=', person.id).executeTakeFirstOrThrow()
    assert.deepEqual(row, { display_name: 'Kept Name', email: person.email, version: 1 })
  })

  it('gives the second of two administrators editing the same user the conflict page, overwriting nothing', async () => {
    const person = await app.factories.user(org, ['dso'], { name: 'Contested Person' })
    const secondAdmin = await app.factories.user(org, ['admin'], { name: 'Second Admin' })
    const first = await app.signedIn(admin)
    const second = await app.signedIn(secondAdmin)
    const firstForm = userEditForm(await openAccount(first, person))
    const secondForm = userEditForm(await openAccount(second, person))

    assert.equal((await first.post(`/admin/users/${person.id}`, { ...firstForm, displayName: 'First Admin’s Choice' })).status, 303)
    const conflict = await second.post(`/admin/users/${person.id}`, { ...secondForm, displayName: 'Second Admin’s Choice', roles: ['admin'] })
    assert.equal(conflict.status, 409)
    assert.equal(headingText(conflict), 'This record changed since you opened it')
    assert.equal(conflict.$('main a[href]').filter((_, a) => conflict.$(a).text().includes('Open the latest version')).attr('href'), `/admin/users/${person.id}`)

    const row = await app.database.db.selectFrom('app_user').select(['display_name', 'version']).where('id', '=', person.id).executeTakeFirstOrThrow()
    assert.deepEqual(row, { display_name: 'First Admin’s Choice', version: 2 })
    const roles = await app.database.db.selectFrom('user_role').select('role').where('user_id', '=', person.id).execute()
    assert.deepEqual(
      roles.map((r) => r.role),
      ['dso'],
      'the second admin’s roles were not applied either',
    )

    // A deactivation from a stale page is refused the same way.
    const stale = await second.post(`/admin/users/${person.id}/active`, { version: secondForm.version as string, active: 'false' })
    assert.equal(stale.status, 409)
    const still = await app.database.db.selectFrom('app_user').select('active').where('id', '=', person.id).executeTakeFirstOrThrow()
    assert.equal(still.active, true)
  })

  it('does not let an administrator remove their own administrator role or deactivate themselves', async () => {
    const client = await app.signedIn(admin)
    const page = await openAccount(client, admin)
    assert.equal(page.$(`form[action="/admin/users/${admin.id}/active"]`).length, 0, 'no deactivate button on their own account')
    const demote = await client.post(`/admin/users/${admin.id}`, { ...userEditForm(page), roles: ['dso'] })
    assert.equal(demote.status, 400)
    assert.deepEqual(errorSummary(demote), ['You cannot remove your own administrator role. Ask another administrator.'])
    const deactivate = await client.post(`/admin/users/${admin.id}/active`, { version: userEditForm(page).version as string, active: 'false' })
    assert.equal(deactivate.status, 400)
    assert.deepEqual(errorSummary(deactivate), ['You cannot deactivate your own account'])
    const row = await app.database.db.selectFrom('app_user').select('active').where('id', '=', admin.id).executeTakeFirstOrThrow()
    assert.equal(row.active, true)
    const roles = await app.database.db.selectFrom('user_role').select('role').where('user_id', '=', admin.id).execute()
    assert.deepEqual(
      roles.map((r) => r.role),
      ['admin'],
    )
    assert.equal((await client.get('/admin/users')).status, 200)
  })

  it('does not let an administrator grant themselves a case role, but lets them change their own name', async () => {
    const client = await app.signedIn(admin)
    const page = await openAccount(client, admin)
    for (const roles of [['admin', 'dso'], ['admin', 'safeguarding_manager'], ['admin', 'auditor']]) {
      const grab = await client.post(`/admin/users/${admin.id}`, { ...userEditForm(page), roles })
      assert.equal(grab.status, 400, roles.join(' + '))
      assert.deepEqual(errorSummary(grab), ['You cannot change your own roles. Ask another administrator.'])
    }
    const roles = await app.database.db.selectFrom('user_role').select('role').where('user_id', '=', admin.id).execute()
    assert.deepEqual(roles.map((r) => r.role), ['admin'])
    // The refused attempts changed nothing, so the case pages stay closed to them.
    assert.equal((await client.get('/queue')).status, 403)

    const renamed = await client.post(`/admin/users/${admin.id}`, { ...userEditForm(page), displayName: 'Adrian Admin-Jones' })
    assert.equal(renamed.status, 303)
    const row = await app.database.db.selectFrom('app_user').select('display_name').where('id', '=', admin.id).executeTakeFirstOrThrow()
    assert.equal(row.display_name, 'Adrian Admin-Jones')
  })

  it('ends every session of a deactivated user at once, and reactivating lets them sign in again', async () => {
    const leaver = await app.factories.user(org, ['dso'], { name: 'Lee Leaver' })
    const laptop = await app.signedIn(leaver)
    const phone = await app.signedIn(leaver)
    assert.equal(await sessionsOf(app, leaver.id), 2)

    const client = await app.signedIn(admin)
    const page = await openAccount(client, leaver)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const done = await client.post(`/admin/users/${leaver.id}/active`, { version: userEditForm(page).version as string, active: 'false' })
    assert.equal(done.status, 303)
    assert.equal(await sessionsOf(app, leaver.id), 0)
    const audit = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(
      audit.map((r) => [r.action, r.record_id, r.details]),
      [['user.deactivate', leaver.id, { sessions_ended: 2 }]],
    )

    for (const device of [laptop, phone]) {
      const next = await device.get('/queue')
      assert.equal(next.status, 303)
      assert.equal(next.location, '/sign-in')
    }
    const signIn = app.client()
    await signIn.get('/sign-in')
    const refused = await signIn.post('/sign-in', { email: leaver.email, password: TEST_PASSWORD })
    assert.equal(refused.status, 400)
    assert.deepEqual(errorSummary(refused), ['Enter a correct email address and password'])
    const listed = await client.get(`/admin/users/${leaver.id}`)
    assert.match(listed.text, /This account is deactivated/)

    const reactivated = await client.post(`/admin/users/${leaver.id}/active`, { version: userEditForm(listed).version as string, active: 'true' })
    assert.equal(reactivated.status, 303)
    await signIn.get('/sign-in')
    const back = await signIn.post('/sign-in', { email: leaver.email, password: TEST_PASSWORD })
    assert.equal(back.status, 303)
    assert.equal((await signIn.get('/queue')).status, 200)
  })

  it('resets a password: a new temporary password, sessions ended, the old password dead', async () => {
    const forgetful = await app.factories.user(org, [], { name: 'Fran Forgetful' })
    const device = await app.signedIn(forgetful)
    const client = await app.signedIn(admin)
    await openAccount(client, forgetful)
    const reset = await client.post(`/admin/users/${forgetful.id}/password`)
    assert.equal(reset.status, 200)
    const temporary = reset.$('.kestrel-secret').text().trim()
    assert.match(temporary, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
    assert.equal((await device.get('/')).location, '/sign-in', 'their session ended')

    const signIn = app.client()
    await signIn.get('/sign-in')
    assert.equal((await signIn.post('/sign-in', { email: forgetful.email, password: TEST_PASSWORD })).status, 400)
    await signIn.get('/sign-in')
    const withTemporary = await signIn.post('/sign-in', { email: forgetful.email, password: temporary })
    assert.equal(withTemporary.location, '/account/password')
    const audit = await app.database.db.selectFrom('audit_event').select('action').where('record_id', '=', forgetful.id).where('action', '=', 'user.password-reset').execute()
    assert.equal(audit.length, 1)
  })

  it('answers 404 for a user in another organisation or a malformed id', async () => {
    const elsewhere = await app.factories.organisation('Elsewhere Council')
    const stranger = await app.factories.user(elsewhere)
    const client = await app.signedIn(admin)
    assert.equal((await client.get(`/admin/users/${stranger.id}`)).status, 404)
    await client.get('/admin/users')
    assert.equal((await client.post(`/admin/users/${stranger.id}/password`)).status, 404)
    assert.equal((await client.post(`/admin/users/${stranger.id}/active`, { version: '1', active: 'false' })).status, 404)
    assert.equal((await client.get('/admin/users/not-an-id')).status, 404)
    const row = await app.database.db.selectFrom('app_user').select('active').where('id', '=', stranger.id).executeTakeFirstOrThrow()
    assert.equal(row.active, true)
  })

  it('lists and searches users, and keeps administrators away from concern content', async () => {
    const client = await app.signedIn(admin)
    const list = await client.get('/admin/users?q=leaver')
    assert.equal(list.status, 200)
    assert.deepEqual(
      list.$('tbody tr td:first-child').map((_, td) => list.$(td).text().trim()).get(),
      ['Lee Leaver'],
    )
    const referrer = await app.factories.user(org)
    const { id } = await app.factories.concern(referrer, { personName: 'Private Person' })
    for (const path of ['/queue', `/concerns/${id}`, `/concerns/${id}/viewers`]) {
      const page = await client.get(path)
      assert.equal(page.status, 403, path)
      assert.doesNotMatch(page.text, /Private Person/)
    }
    assert.equal((await client.get(`/my-concerns/${id}`)).status, 404)
  })
})
