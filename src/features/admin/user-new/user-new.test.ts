import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, countRows, lastAuditSeq } from '../../../../test/helpers/records.js'

describe('adding a user', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    admin = await app.factories.user(org, ['admin'], { name: 'Adrian Admin' })
  })
  after(() => app.stop())

  async function adminClient(): Promise<TestClient> {
    const client = await app.signedIn(admin)
    const form = await client.get('/admin/users/new')
    assert.equal(form.status, 200)
    return client
  }

  it('creates the account, shows its temporary password once, and audits it', async () => {
    const client = await adminClient()
    const seq = await lastAuditSeq(app.database.db, org.id)
    const page = await client.post('/admin/users/new', { displayName: 'Dana Officer', email: 'Dana.Officer@Test.example', serviceId: org.services[2]!.id, roles: ['dso', 'safeguarding_manager'] })
    assert.equal(page.status, 200)
    assert.equal(page.$('.govuk-panel__title').text().trim(), 'Account ready')
    const password = page.$('.kestrel-secret').text().trim()
    assert.match(password, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
    assert.match(page.text, /It will not be shown again/)

    const user = await app.database.db.selectFrom('app_user').selectAll().where('email', '=', 'dana.officer@test.example').executeTakeFirstOrThrow()
    assert.equal(user.display_name, 'Dana Officer')
    assert.equal(user.service_id, org.services[2]!.id)
    assert.equal(user.must_change_password, true)
    assert.notEqual(user.password_hash, password)
    assert.doesNotMatch(user.password_hash!, new RegExp(password))
    const roles = await app.database.db.selectFrom('user_role').select('role').where('user_id', '=', user.id).orderBy('role').execute()
    assert.deepEqual(
      roles.map((r) => r.role),
      ['dso', 'safeguarding_manager'],
    )
    const audit = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(
      audit.map((r) => [r.action, r.record_id, r.actor_user_id]),
      [['user.create', user.id, admin.id]],
    )
    assert.doesNotMatch(JSON.stringify(audit[0]!.details), new RegExp(password))

    const accountPage = await client.get(`/admin/users/${user.id}`)
    assert.equal(accountPage.status, 200)
    assert.doesNotMatch(accountPage.text, new RegExp(password), 'the password is never shown again')
  })

  it('makes the new user choose their own password before they can use anything else', async () => {
    const client = await adminClient()
    const created = await client.post('/admin/users/new', { displayName: 'New Starter', email: 'new.starter@test.example', serviceId: '' })
    assert.equal(created.status, 200, 'a plain staff member: no roles ticked (the browser sends no roles field)')
    const temporary = created.$('.kestrel-secret').text().trim()

    const starter = app.client()
    await starter.get('/sign-in')
    const signedIn = await starter.post('/sign-in', { email: 'new.starter@test.example', password: temporary })
    assert.equal(signedIn.status, 303)
    assert.equal(signedIn.location, '/account/password')
    const changePage = await starter.get('/account/password')
    assert.equal(headingText(changePage), 'Choose a new password')

    for (const path of ['/', '/concerns/new', '/my-concerns', '/queue', '/admin/users']) {
      const page = await starter.get(path)
      assert.equal(page.status, 303, path)
      assert.equal(page.location, '/account/password', path)
    }
    await starter.get('/account/password')
    const refusedPost = await starter.post('/concerns/new', { personName: 'Someone' })
    assert.equal(refusedPost.location, '/account/password', 'forms are refused too')

    await starter.get('/account/password')
    const changed = await starter.post('/account/password', { currentPassword: temporary, newPassword: 'my own long password', confirmPassword: 'my own long password' })
    assert.equal(changed.status, 303)
    assert.equal(changed.location, '/')
    assert.equal((await starter.get('/my-concerns')).status, 200)
    const row = await app.database.db.selectFrom('app_user').select('must_change_password').where('email', '=', 'new.starter@test.example').executeTakeFirstOrThrow()
    assert.equal(row.must_change_password, false)

    const again = app.client()
    await again.get('/sign-in')
    const next = await again.post('/sign-in', { email: 'new.starter@test.example', password: 'my own long password' })
    assert.equal(next.location, '/', 'the next sign-in goes straight in')
  })

  it('refuses an email address that already has an account, whatever its case', async () => {
    const existing = await app.factories.user(org, [], { email: 'taken@test.example' })
    void existing
    const client = await adminClient()
    const before = await countRows(app.database.db, 'app_user')
    const page = await client.post('/admin/users/new', { displayName: 'Second Person', email: 'TAKEN@test.example', serviceId: '', roles: 'dso' })
    assert.equal(page.status, 400)
    assert.deepEqual(errorSummary(page), ['There is already an account with this email address'])
    assert.equal(page.$('#displayName').attr('value'), 'Second Person')
    assert.equal(page.$('input[name="roles"][value="dso"]').attr('checked'), 'checked')
    assert.equal(await countRows(app.database.db, 'app_user'), before)
  })

  it('asks for a name and a valid email address, and refuses unknown roles and services', async () => {
    const client = await adminClient()
    const before = await countRows(app.database.db, 'app_user')
    const empty = await client.post('/admin/users/new', {})
    assert.equal(empty.status, 400)
    assert.deepEqual(errorSummary(empty), ['Enter their full name', 'Enter their email address'])
    const bad = await client.post('/admin/users/new', { displayName: 'Bad Email', email: 'not-an-email', serviceId: 'f00', roles: ['dso', 'superuser'] })
    assert.deepEqual(errorSummary(bad), ['Enter an email address in the correct format, like name@example.gov.uk', 'Select a service from the list', 'Select roles from the list'])
    assert.equal(await countRows(app.database.db, 'app_user'), before)
  })

  it('is for administrators only', async () => {
    const manager = await app.factories.user(org, ['safeguarding_manager', 'dso', 'auditor', 'senior_lead_officer'])
    const client = await app.signedIn(manager)
    assert.equal((await client.get('/admin/users/new')).status, 403)
    await client.get('/')
    const before = await countRows(app.database.db, 'app_user')
    assert.equal((await client.post('/admin/users/new', { displayName: 'Sneaky', email: 'sneaky@test.example' })).status, 403)
    assert.equal(await countRows(app.database.db, 'app_user'), before)
  })
})
