import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'

describe('signing in and out', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser

  before(async () => {
    app = await startTestApp()
    org = await app.factories.organisation()
    staff = await app.factories.user(org)
  })
  after(() => app.stop())

  it('sends a signed-out visitor to the sign-in page and back where they were going', async () => {
    const client = app.client()
    const first = await client.get('/my-concerns')
    assert.equal(first.status, 303)
    assert.equal(first.location, '/sign-in')
    const signInPage = await client.get('/sign-in')
    assert.equal(headingText(signInPage), 'Sign in to Kestrel')
    const signedIn = await client.post('/sign-in', { email: staff.email, password: staff.password })
    assert.equal(signedIn.status, 303)
    assert.equal(signedIn.location, '/my-concerns')
    const page = await client.get('/my-concerns')
    assert.equal(page.status, 200)
    assert.equal(headingText(page), 'Your concerns')
  })

  it('gives the same message for a wrong password and for an unknown account', async () => {
    const client = app.client()
    await client.get('/sign-in')
    const wrong = await client.post('/sign-in', { email: staff.email, password: 'not the password' })
    await client.get('/sign-in')
    const unknown = await client.post('/sign-in', { email: 'nobody@test.example', password: 'not the password' })
    assert.equal(wrong.status, 400)
    assert.equal(unknown.status, 400)
    assert.deepEqual(errorSummary(wrong), ['Enter a correct email address and password'])
    assert.deepEqual(errorSummary(unknown), errorSummary(wrong))
    assert.equal(wrong.$('#email').attr('value'), staff.email, 'the email is kept so it can be corrected')
  })

  it('asks for both fields when they are missing', async () => {
    const client = app.client()
    await client.get('/sign-in')
    const page = await client.post('/sign-in', {})
    assert.deepEqual(errorSummary(page), ['Enter your email address', 'Enter your password'])
  })

  it('issues a new session id at sign-in', async () => {
    const client = app.client()
    await client.get('/sign-in')
    const before = client.sessionCookie
    assert.ok(before, 'the sign-in page starts a session for its CSRF token')
    await client.post('/sign-in', { email: staff.email, password: staff.password })
    assert.ok(client.sessionCookie)
    assert.notEqual(client.sessionCookie, before)
  })

  it('signs out with a POST and the session no longer works', async () => {
    const client = await app.signedIn(staff)
    const home = await client.get('/')
    assert.equal(home.status, 200)
    const cookie = client.sessionCookie!
    const out = await client.post('/sign-out')
    assert.equal(out.status, 303)
    assert.equal(out.location, '/sign-in')
    const replay = app.client()
    replay.setCookie('kestrel', cookie)
    const after = await replay.get('/')
    assert.equal(after.status, 303, 'the old session cookie is dead')
  })

  it('refuses to sign out by GET', async () => {
    const client = await app.signedIn(staff)
    const page = await client.get('/sign-out')
    assert.equal(page.status, 404)
    assert.equal((await client.get('/')).status, 200)
  })
})
