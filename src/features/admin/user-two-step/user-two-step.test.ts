import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { enrolAuthenticator, signInWithAuthenticator } from '../../../../test/helpers/mfa.js'

describe('an administrator resets someone’s two-step verification', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser
  let adminSecret: string

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation('Reset Council', { mfaRequired: true })
    admin = await app.factories.user(org, ['admin'])
    adminSecret = (await enrolAuthenticator(app, await app.signedIn(admin))).secret
  })
  after(() => app.stop())

  /** The administrator, signed in with their own authenticator (their organisation requires it). */
  const adminClient = () => signInWithAuthenticator(app, admin, adminSecret)

  it('removes the authenticator and recovery codes, signs them out everywhere, audits it, and they set it up again', async () => {
    const dso = await app.factories.user(org, ['dso'])
    const dsoFirst = await app.signedIn(dso)
    const { secret } = await enrolAuthenticator(app, dsoFirst)
    const dsoSession = await signInWithAuthenticator(app, dso, secret)
    assert.equal((await dsoSession.get('/')).status, 200)

    const client = await adminClient()
    const page = await client.get(`/admin/users/${dso.id}/two-step-verification`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Recovery codes left/)
    const reset = await client.post(`/admin/users/${dso.id}/two-step-verification`)
    assert.equal(reset.status, 303)
    assert.equal(reset.location, `/admin/users/${dso.id}/two-step-verification`)
    assert.match((await client.get(reset.location!)).text, /has not set up two-step verification/)

    assert.equal(await app.database.db.selectFrom('user_mfa').select('user_id').where('user_id', '=', dso.id).executeTakeFirst(), undefined)
    assert.equal((await app.database.db.selectFrom('mfa_recovery_code').select('id').where('user_id', '=', dso.id).execute()).length, 0)
    assert.equal((await dsoSession.get('/')).status, 303, 'signed out everywhere')
    const audit = await app.database.db.selectFrom('audit_event').select(['actor_user_id', 'record_id', 'details']).where('action', '=', 'user.mfa-reset').execute()
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.actor_user_id, admin.id)
    assert.equal(audit[0]!.record_id, dso.id)

    // Next sign-in: the password alone, then straight to setting up a new authenticator.
    const again = await app.signedIn(dso)
    assert.equal((await again.get('/')).location, '/account/two-step-verification/set-up')
    const fresh = await enrolAuthenticator(app, again)
    assert.notEqual(fresh.secret, secret, 'a new key')
  })

  it('says so when there is nothing to reset, and writes nothing', async () => {
    const staff = await app.factories.user(org, [])
    const client = await adminClient()
    await client.get(`/admin/users/${staff.id}/two-step-verification`)
    const before = await app.database.db.selectFrom('audit_event').select('seq').where('action', '=', 'user.mfa-reset').execute()
    const answer = await client.post(`/admin/users/${staff.id}/two-step-verification`)
    assert.equal(answer.status, 303)
    assert.match((await client.get(answer.location!)).text, /there was nothing to reset/)
    const afterRows = await app.database.db.selectFrom('audit_event').select('seq').where('action', '=', 'user.mfa-reset').execute()
    assert.equal(afterRows.length, before.length)
  })

  it('cannot see or reset people in another organisation (not found), and only administrators may use it', async () => {
    const elsewhere = await app.factories.organisation('Other Council')
    const stranger = await app.factories.user(elsewhere, ['dso'])
    await enrolAuthenticator(app, await app.signedIn(stranger))
    const client = await adminClient()
    assert.equal((await client.get(`/admin/users/${stranger.id}/two-step-verification`)).status, 404)
    await client.get('/')
    assert.equal((await client.post(`/admin/users/${stranger.id}/two-step-verification`)).status, 404)
    assert.ok(await app.database.db.selectFrom('user_mfa').select('user_id').where('user_id', '=', stranger.id).executeTakeFirst(), 'untouched')

    const manager = await app.factories.user(org, ['safeguarding_manager'])
    const managerClient = await app.signedIn(manager)
    await enrolAuthenticator(app, managerClient)
    assert.equal((await managerClient.get(`/admin/users/${admin.id}/two-step-verification`)).status, 403)
  })
})
