import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { MFA_ROLES } from '../../src/domain/mfa.js'
import { GRANTABLE_ROLES, type GrantableRole } from '../../src/domain/roles.js'
import { startTestApp, TEST_CHAIN_KEY, type TestApp } from '../helpers/app.js'
import { errorSummary } from '../helpers/client.js'
import type { TestOrganisation } from '../helpers/factories.js'
import { enrolAuthenticator } from '../helpers/mfa.js'

/**
 * When an organisation requires two-step verification, everyone holding an MFA role must set it
 * up before anything else (like a temporary password); staff are not forced. The setting is
 * the organisation's, changed by its administrators, and applies on the next request.
 */
describe('required two-step verification', () => {
  let app: TestApp
  let required: TestOrganisation
  let optional: TestOrganisation

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    required = await app.factories.organisation('Requiring Council', { mfaRequired: true })
    optional = await app.factories.organisation('Optional Council', { mfaRequired: false })
  })
  after(() => app.stop())

  it('covers every role except plain staff', () => {
    assert.deepEqual([...MFA_ROLES].sort(), [...GRANTABLE_ROLES].sort())
  })

  for (const role of GRANTABLE_ROLES) {
    it(`sends someone with the ${role} role who has not set it up to set-up from every page, leaving only account pages`, async () => {
      const user = await app.factories.user(required, [role])
      const client = await app.signedIn(user)
      for (const path of ['/', '/my-concerns', '/concerns/new', role === 'admin' ? '/admin/users' : '/queue']) {
        const page = await client.get(path)
        assert.equal(page.status, 303, `${role} ${path}`)
        assert.equal(page.location, '/account/two-step-verification/set-up', `${role} ${path}`)
      }
      assert.equal((await client.get('/account/two-step-verification/set-up')).status, 200)
      assert.equal((await client.get('/account/two-step-verification')).status, 200)
      assert.equal((await client.get('/account/password')).status, 200)
      // A POST elsewhere is stopped and redirected too.
      await client.get('/account/two-step-verification/set-up')
      const post = await client.post('/concerns/new', { atRisk: 'adult' })
      assert.equal(post.status, 303)
      assert.equal(post.location, '/account/two-step-verification/set-up')

      await enrolAuthenticator(app, client)
      assert.equal((await client.get('/')).status, 200, 'free to continue once it is set up')
    })
  }

  it('does not force plain staff, who may still choose to set it up', async () => {
    const staff = await app.factories.user(required, [])
    const client = await app.signedIn(staff)
    assert.equal((await client.get('/')).status, 200)
    const overview = await client.get('/account/two-step-verification')
    assert.doesNotMatch(overview.text, /requires two-step verification for your role/)
  })

  it('does not force anyone in an organisation that has it off', async () => {
    for (const role of GRANTABLE_ROLES) {
      const user = await app.factories.user(optional, [role])
      const client = await app.signedIn(user)
      assert.equal((await client.get('/')).status, 200, role)
    }
  })

  it('asks for set-up after a temporary password has been changed, not before', async () => {
    const user = await app.factories.user(required, ['dso'], { mustChangePassword: true })
    const client = await app.signedIn(user)
    const first = await client.get('/')
    assert.equal(first.location, '/account/password')
    const setup = await client.get('/account/two-step-verification/set-up')
    assert.equal(setup.location, '/account/password', 'the password comes first')
  })

  it('applies when a role is granted, on the very next request', async () => {
    const user = await app.factories.user(required, [])
    const client = await app.signedIn(user)
    assert.equal((await client.get('/')).status, 200)
    await app.database.db.insertInto('user_role').values({ organisation_id: required.id, user_id: user.id, role: 'auditor' as GrantableRole }).execute()
    const next = await client.get('/')
    assert.equal(next.location, '/account/two-step-verification/set-up')
  })

  describe('the organisation setting', () => {
    it('is changed by an administrator, audited, and applies to its people on their next request', async () => {
      const org = await app.factories.organisation('Switching Council', { mfaRequired: false })
      const admin = await app.factories.user(org, ['admin'])
      const dso = await app.factories.user(org, ['dso'])
      const adminClient = await app.signedIn(admin)
      const dsoClient = await app.signedIn(dso)
      assert.equal((await dsoClient.get('/')).status, 200)

      const page = await adminClient.get('/admin/security')
      assert.equal(page.status, 200)
      assert.equal(page.$('input[name="mfaRequired"][value="no"]').attr('checked'), 'checked')
      const saved = await adminClient.post('/admin/security', { mfaRequired: 'yes', version: page.$('input[name="version"]').val() as string })
      assert.equal(saved.status, 303)
      // The administrator is covered too: straight to set-up, where the confirmation is shown.
      assert.equal(saved.location, '/account/two-step-verification/set-up')
      assert.match((await adminClient.get(saved.location!)).text, /Two-step verification is now required/)
      assert.equal((await adminClient.get('/admin/security')).location, '/account/two-step-verification/set-up')

      assert.equal((await dsoClient.get('/')).location, '/account/two-step-verification/set-up')
      const audit = await app.database.db.selectFrom('audit_event').select(['actor_user_id', 'details']).where('organisation_id', '=', org.id).where('action', '=', 'organisation.security-settings').execute()
      assert.equal(audit.length, 1)
      assert.equal(audit[0]!.actor_user_id, admin.id)
      assert.deepEqual(audit[0]!.details, { fields: ['mfa_required'], mfa_required: true })
    })

    it('refuses a stale save instead of overwriting someone else’s change', async () => {
      const org = await app.factories.organisation('Two Admins Council', { mfaRequired: false })
      const a = await app.signedIn(await app.factories.user(org, ['admin']))
      const b = await app.signedIn(await app.factories.user(org, ['admin']))
      const pageA = await a.get('/admin/security')
      const pageB = await b.get('/admin/security')
      assert.equal((await a.post('/admin/security', { mfaRequired: 'no', version: pageA.$('input[name="version"]').val() as string })).status, 303)
      const stale = await b.post('/admin/security', { mfaRequired: 'yes', version: pageB.$('input[name="version"]').val() as string })
      assert.equal(stale.status, 409)
      const row = await app.database.db.selectFrom('organisation_security_setting').select('mfa_required').where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
      assert.equal(row.mfa_required, false)
    })

    it('shows a clear error for a missing choice and changes nothing', async () => {
      const org = await app.factories.organisation('Careless Council', { mfaRequired: false })
      const admin = await app.signedIn(await app.factories.user(org, ['admin']))
      const page = await admin.get('/admin/security')
      const bad = await admin.post('/admin/security', { mfaRequired: 'maybe', version: page.$('input[name="version"]').val() as string })
      assert.equal(bad.status, 400)
      assert.deepEqual(errorSummary(bad), ['Select whether two-step verification is required'])
      const row = await app.database.db.selectFrom('organisation_security_setting').select(['mfa_required', 'version']).where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
      assert.deepEqual(row, { mfa_required: false, version: 1 })
    })

    it('is on for organisations created outside the demo and tests', async () => {
      const { createAdministrator } = await import('../../src/services/bootstrap.js')
      const fresh = await startTestApp()
      try {
        const result = await createAdministrator(fresh.database.db, { email: 'first.admin@new.example', displayName: 'First Admin', password: 'a long enough password', organisationName: 'New Council', now: new Date(), chainKey: TEST_CHAIN_KEY })
        const row = await fresh.database.db.selectFrom('organisation_security_setting').select('mfa_required').where('organisation_id', '=', result.organisationId).executeTakeFirstOrThrow()
        assert.equal(row.mfa_required, true)
        const client = await fresh.signedIn({ email: 'first.admin@new.example', password: 'a long enough password' })
        assert.equal((await client.get('/')).location, '/account/two-step-verification/set-up', 'the first administrator sets it up first')
      } finally {
        await fresh.stop()
      }
    })
  })
})
