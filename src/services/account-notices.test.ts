import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../test/helpers/app.js'
import type { TestOrganisation, TestUser } from '../../test/helpers/factories.js'
import { enrolAuthenticator, signInWithAuthenticator } from '../../test/helpers/mfa.js'
import { totpAt } from '../../test/helpers/totp.js'

/**
 * People are told when their password or two-step verification changes, whoever changed it:
 * an email (in the outbox) and a notice in the app, written with the change. Failed attempts tell
 * nobody, and no message carries a password or code.
 */
describe('telling people when how they sign in changes', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
    org = await app.factories.organisation('Telling Council', { mfaRequired: false })
    admin = await app.factories.user(org, ['admin'], { name: 'Ada Administrator' })
  })
  after(() => app.stop())

  async function emailsTo(user: TestUser) {
    return app.database.db.selectFrom('email_outbox').select(['subject', 'body', 'kind']).where('to_address', '=', user.email).orderBy('created_at').orderBy('id').execute()
  }
  async function noticesFor(user: TestUser) {
    return app.database.db.selectFrom('notification').select('text').where('user_id', '=', user.id).where('kind', '=', 'account_security').orderBy('created_at').orderBy('id').execute()
  }

  it('tells them when they change their password, and not when the current password was wrong', async () => {
    const person = await app.factories.user(org, ['dso'])
    const client = await app.signedIn(person)
    await client.get('/account/password')
    const wrong = await client.post('/account/password', { currentPassword: 'not my password at all', newPassword: 'four unrelated words here', confirmPassword: 'four unrelated words here' })
    assert.equal(wrong.status, 400)
    assert.deepEqual(await emailsTo(person), [], 'a wrong attempt tells nobody')

    const changed = await client.post('/account/password', { currentPassword: person.password, newPassword: 'four unrelated words here', confirmPassword: 'four unrelated words here' })
    assert.equal(changed.status, 303)
    const emails = await emailsTo(person)
    assert.deepEqual(
      emails.map((e) => [e.kind, e.subject]),
      [['account_security', 'Kestrel: your password was changed']],
    )
    assert.match(emails[0]!.body, /If this was not you, tell your administrator/)
    assert.ok(!emails[0]!.body.includes('four unrelated words'), 'the password is never sent')
    assert.deepEqual(await noticesFor(person), [{ text: 'Your Kestrel password was changed.' }])
  })

  it('tells them when an administrator resets their password, naming the administrator and not the new password', async () => {
    const person = await app.factories.user(org, [])
    const client = await app.signedIn(admin)
    await client.get(`/admin/users/${person.id}`)
    const reset = await client.post(`/admin/users/${person.id}/password`)
    assert.equal(reset.status, 200)
    const temporary = reset.$('.kestrel-secret').text().trim()
    assert.ok(temporary.length > 10)
    const emails = await emailsTo(person)
    assert.deepEqual(
      emails.map((e) => e.subject),
      ['Kestrel: your password was reset'],
    )
    assert.match(emails[0]!.body, /^Ada Administrator, an administrator, reset your Kestrel password\./)
    assert.ok(!emails[0]!.body.includes(temporary), 'the temporary password is given in person, never by email')
  })

  it('tells them when two-step verification is set up, new recovery codes are made, a recovery code is used, and an administrator resets it', async () => {
    const person = await app.factories.user(org, ['safeguarding_manager'])
    const { secret, recoveryCodes } = await enrolAuthenticator(app, await app.signedIn(person))
    const signedIn = await signInWithAuthenticator(app, person, secret)
    app.clock.advance(30_000)
    await signedIn.get('/account/two-step-verification')
    const wrongCode = await signedIn.post('/account/two-step-verification/recovery-codes', { code: '000000' === totpAt(secret, app.clock.now()) ? '999999' : '000000' })
    assert.equal(wrongCode.status, 400)
    const fresh = await signedIn.post('/account/two-step-verification/recovery-codes', { code: totpAt(secret, app.clock.now()) })
    assert.equal(fresh.status, 200)
    const newCodes = fresh.$('#recovery-codes code').map((_, el) => fresh.$(el).text().trim()).get()

    const visitor = app.client()
    await visitor.get('/sign-in')
    await visitor.post('/sign-in', { email: person.email, password: person.password })
    await visitor.get('/sign-in/recovery-code')
    const recovered = await visitor.post('/sign-in/recovery-code', { recoveryCode: newCodes[0]! })
    assert.equal(recovered.status, 303)

    const adminClient = await app.signedIn(admin)
    await adminClient.get(`/admin/users/${person.id}/two-step-verification`)
    const reset = await adminClient.post(`/admin/users/${person.id}/two-step-verification`)
    assert.equal(reset.status, 303)

    const emails = await emailsTo(person)
    assert.deepEqual(
      emails.map((e) => e.subject),
      ['Kestrel: two-step verification was set up', 'Kestrel: new recovery codes', 'Kestrel: a recovery code was used', 'Kestrel: two-step verification was reset'],
    )
    assert.match(emails[2]!.body, /9 recovery codes are left\./)
    assert.match(emails[3]!.body, /^Ada Administrator, an administrator, removed the authenticator app/)
    const everything = JSON.stringify(emails)
    for (const code of [...recoveryCodes, ...newCodes, secret]) assert.ok(!everything.includes(code), 'no code or secret is ever sent')
    assert.equal((await noticesFor(person)).length, 4, 'each is in the app too')
  })
})
