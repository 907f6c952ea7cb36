import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../test/helpers/app.js'
import type { TestClient } from '../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../test/helpers/factories.js'
import { enrolAuthenticator } from '../../test/helpers/mfa.js'
import { userEditForm } from '../../test/helpers/user-form.js'

/**
 * Administrators cannot read cases but decide who can. Every role grant, and every password or
 * two-step reset of someone holding a role, tells the Senior Lead Officers straight away.
 */
describe('the Senior Lead Officers are told when an administrator changes access', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser
  let slo: TestUser
  let client: TestClient

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    admin = await app.factories.user(org, ['admin'], { name: 'Adrian Admin' })
    slo = await app.factories.user(org, ['senior_lead_officer'], { name: 'Sally Senior' })
    client = await app.signedIn(admin)
  })
  after(() => app.stop())

  async function alerts(): Promise<string[]> {
    const rows = await app.database.db.selectFrom('notification').select('text').where('user_id', '=', slo.id).where('kind', '=', 'access_change').orderBy('created_at').orderBy('id').execute()
    return rows.map((r) => r.text)
  }

  async function editForm(user: { id: string }) {
    return userEditForm(await client.get(`/admin/users/${user.id}`))
  }

  it('on a new account with a role, and on a role added later, but not on other edits', async () => {
    await client.get('/admin/users/new')
    assert.equal((await client.post('/admin/users/new', { displayName: 'Dana Officer', email: 'dana.officer@test.example', serviceId: '', roles: ['dso'] })).status, 200)
    assert.equal((await client.post('/admin/users/new', { displayName: 'Plain Staff', email: 'plain.staff@test.example', serviceId: '' })).status, 200)
    const staff = await app.database.db.selectFrom('app_user').select('id').where('email', '=', 'plain.staff@test.example').executeTakeFirstOrThrow()

    const renamed = await client.post(`/admin/users/${staff.id}`, { ...(await editForm(staff)), displayName: 'Plain Staff-Member' })
    assert.equal(renamed.status, 303)
    const granted = await client.post(`/admin/users/${staff.id}`, { ...(await editForm(staff)), roles: ['auditor'] })
    assert.equal(granted.status, 303)

    assert.deepEqual(await alerts(), [
      'Adrian Admin created an account for Dana Officer with these roles: Designated Safeguarding Officer (DSO).',
      'Adrian Admin gave Plain Staff-Member these roles: Auditor.',
    ])
    const emails = await app.database.db.selectFrom('email_outbox').select(['to_address', 'subject']).where('kind', '=', 'access_change').execute()
    assert.equal(emails.length, 2)
    assert.ok(emails.every((e) => e.to_address === slo.email && e.subject === 'Kestrel: an administrator changed someone’s access'))
  })

  it('on a password or two-step reset of someone with a role, not of a staff member', async () => {
    const dso = await app.factories.user(org, ['dso'], { name: 'Devi Officer' })
    const staff = await app.factories.user(org, [], { name: 'Sam Staff' })
    await enrolAuthenticator(app, await app.signedIn(dso))
    const before = (await alerts()).length

    await client.get(`/admin/users/${staff.id}`)
    assert.equal((await client.post(`/admin/users/${staff.id}/password`)).status, 200)
    await client.get(`/admin/users/${dso.id}`)
    assert.equal((await client.post(`/admin/users/${dso.id}/password`)).status, 200)
    await client.get(`/admin/users/${dso.id}/two-step-verification`)
    assert.equal((await client.post(`/admin/users/${dso.id}/two-step-verification`)).status, 303)

    assert.deepEqual((await alerts()).slice(before), [
      'Adrian Admin reset the password of Devi Officer, who holds a role beyond staff member.',
      'Adrian Admin reset the two-step verification of Devi Officer, who holds a role beyond staff member.',
    ])
  })
})
