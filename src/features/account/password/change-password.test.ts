import assert from 'node:assert/strict'
import { TOO_EASY_TO_GUESS } from '../../../domain/password-strength.js'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'

describe('changing your password', () => {
  let app: TestApp
  let org: TestOrganisation

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
  })
  after(() => app.stop())

  async function openPage(user: TestUser): Promise<TestClient> {
    const client = await app.signedIn(user)
    const page = await client.get('/account/password')
    assert.equal(page.status, 200)
    assert.equal(headingText(page), 'Change your password')
    return client
  }

  async function passwordHash(user: TestUser): Promise<string | null> {
    const row = await app.database.db.selectFrom('app_user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
    return row.password_hash
  }

  it('refuses each mistake with its message and changes nothing', async () => {
    const user = await app.factories.user(org)
    const client = await openPage(user)
    const before = await passwordHash(user)
    const cases: [Record<string, string>, string[]][] = [
      [{}, ['Enter your current password', 'Enter a new password', 'Confirm your new password']],
      [{ currentPassword: 'not my password', newPassword: 'a brand new password', confirmPassword: 'a brand new password' }, ['Your current password is not correct']],
      [{ currentPassword: user.password, newPassword: 'a brand new password', confirmPassword: 'a brand new passwort' }, ['The passwords do not match']],
      [{ currentPassword: user.password, newPassword: 'too short', confirmPassword: 'too short' }, ['Your new password must be 12 characters or more']],
      [{ currentPassword: user.password, newPassword: 'x'.repeat(129), confirmPassword: 'x'.repeat(129) }, ['Your new password must be 128 characters or less']],
      [{ currentPassword: user.password, newPassword: user.password, confirmPassword: user.password }, ['Your new password must be different from your current password']],
      [{ currentPassword: user.password, newPassword: 'passwordpassword', confirmPassword: 'passwordpassword' }, [TOO_EASY_TO_GUESS]],
      [{ currentPassword: user.password, newPassword: '123456789012', confirmPassword: '123456789012' }, [TOO_EASY_TO_GUESS]],
    ]
    for (const [form, errors] of cases) {
      const page = await client.post('/account/password', form)
      assert.equal(page.status, 400, JSON.stringify(form))
      assert.deepEqual(errorSummary(page), errors)
      for (const field of ['currentPassword', 'newPassword', 'confirmPassword']) {
        assert.equal(page.$(`#${field}`).attr('value') ?? '', '', `${field} is never sent back`)
      }
    }
    assert.equal(await passwordHash(user), before)
  })

  it('changes the password, keeps this session and ends every other one', async () => {
    const user = await app.factories.user(org)
    const otherBrowser = await app.signedIn(user)
    const client = await openPage(user)
    const changed = await client.post('/account/password', { currentPassword: user.password, newPassword: 'four unrelated words here', confirmPassword: 'four unrelated words here' })
    assert.equal(changed.status, 303)
    assert.equal(changed.location, '/')
    const home = await client.get('/')
    assert.equal(home.status, 200, 'this session carries on')
    assert.match(home.$('.govuk-notification-banner').text(), /Your password has been changed\./)
    const other = await otherBrowser.get('/')
    assert.equal(other.status, 303)
    assert.equal(other.location, '/sign-in', 'the other session has ended')

    const audit = await app.database.db.selectFrom('audit_event').select(['action', 'actor_user_id']).where('record_id', '=', user.id).where('action', '=', 'auth.password-change').execute()
    assert.deepEqual(audit, [{ action: 'auth.password-change', actor_user_id: user.id }])

    const oldPassword = app.client()
    await oldPassword.get('/sign-in')
    assert.equal((await oldPassword.post('/sign-in', { email: user.email, password: user.password })).status, 400)
    await oldPassword.get('/sign-in')
    assert.equal((await oldPassword.post('/sign-in', { email: user.email, password: 'four unrelated words here' })).status, 303)
  })

  it('audits every wrong current password and stops guessing after five in 15 minutes, for sign-in too', async () => {
    const user = await app.factories.user(org)
    const client = await openPage(user)
    const before = await passwordHash(user)
    const attempt = (currentPassword: string) => client.post('/account/password', { currentPassword, newPassword: 'a brand new password', confirmPassword: 'a brand new password' })
    for (let guess = 1; guess <= 5; guess++) {
      const page = await attempt(`guess number ${guess}`)
      assert.deepEqual(errorSummary(page), ['Your current password is not correct'], `guess ${guess}`)
    }
    // The sixth try is refused even with the right password: the session cannot be used to keep guessing.
    const blocked = await attempt(user.password)
    assert.equal(blocked.status, 429)
    assert.deepEqual(errorSummary(blocked), ['You have entered your current password wrongly too many times. Wait 15 minutes and try again.'])
    assert.equal(await passwordHash(user), before)
    const stranger = app.client()
    await stranger.get('/sign-in')
    assert.equal((await stranger.post('/sign-in', { email: user.email, password: user.password })).status, 429, 'the same per-account budget as sign-in')

    const trail = await app.database.db.selectFrom('audit_event').select(['outcome', 'details']).where('record_id', '=', user.id).where('action', '=', 'auth.password-change').orderBy('occurred_at').orderBy('id').execute()
    assert.deepEqual(
      trail.map((r) => [r.outcome, (r.details as { reason?: string }).reason]),
      [...Array.from({ length: 5 }, () => ['failure', 'wrong_password']), ['denied', 'throttled']],
    )

    app.clock.advance(15 * 60_000 + 1000)
    const later = await openPage(user)
    const changed = await later.post('/account/password', { currentPassword: user.password, newPassword: 'a brand new password', confirmPassword: 'a brand new password' })
    assert.equal(changed.status, 303, 'after 15 minutes the right password works again')
  })

  it('with a temporary password, lets nothing else open until it is changed, then goes on to the page asked for', async () => {
    const user = await app.factories.user(org, [], { mustChangePassword: true })
    const client = app.client()
    const asked = await client.get('/my-concerns')
    assert.equal(asked.location, '/sign-in')
    await client.get('/sign-in')
    const signedIn = await client.post('/sign-in', { email: user.email, password: user.password })
    assert.equal(signedIn.location, '/account/password')
    assert.equal((await client.get('/my-concerns')).location, '/account/password', 'nothing else until the password is changed')
    await client.get('/account/password')
    const changed = await client.post('/account/password', { currentPassword: user.password, newPassword: 'my own long password', confirmPassword: 'my own long password' })
    assert.equal(changed.status, 303)
    assert.equal(changed.location, '/my-concerns')
    const page = await client.follow(changed)
    assert.equal(page.status, 200)
    assert.match(page.$('.govuk-notification-banner').text(), /Your password has been changed\./)

    // A later, voluntary change goes home, whatever was asked for before.
    await client.get('/account/password')
    const again = await client.post('/account/password', { currentPassword: 'my own long password', newPassword: 'another long password', confirmPassword: 'another long password' })
    assert.equal(again.location, '/')
  })

  it('needs the CSRF token', async () => {
    const user = await app.factories.user(org)
    const client = await openPage(user)
    const before = await passwordHash(user)
    const page = await client.post('/account/password', { currentPassword: user.password, newPassword: 'four unrelated words here', confirmPassword: 'four unrelated words here' }, { csrf: false })
    assert.equal(page.status, 403)
    assert.equal(await passwordHash(user), before)
  })
})
