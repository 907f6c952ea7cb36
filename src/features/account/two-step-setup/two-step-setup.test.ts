import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText } from '../../../../test/helpers/client.js'
import type { TestOrganisation } from '../../../../test/helpers/factories.js'
import { enrolAuthenticator } from '../../../../test/helpers/mfa.js'
import { auditRowsAfter, countRows, lastAuditSeq } from '../../../../test/helpers/records.js'
import { totpAt } from '../../../../test/helpers/totp.js'

describe('setting up two-step verification', () => {
  let app: TestApp
  let org: TestOrganisation

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
  })
  after(() => app.stop())

  it('shows a QR code and the same key as text, and keeps the key across reloads', async () => {
    const user = await app.factories.user(org, ['dso'])
    const client = await app.signedIn(user)
    const page = await client.get('/account/two-step-verification/set-up')
    assert.equal(page.status, 200)
    assert.equal(headingText(page), 'Set up two-step verification')
    const img = page.$('img.kestrel-qr-code')
    assert.match(img.attr('src') ?? '', /^data:image\/svg\+xml;base64,/)
    const svg = Buffer.from(img.attr('src')!.split(',')[1]!, 'base64').toString('utf8')
    assert.match(svg, /^<svg/)
    assert.ok(img.attr('alt'), 'the QR code has a text alternative')
    const key = page.$('#setup-key').text().replace(/\s/g, '')
    assert.match(key, /^[A-Z2-7]{32}$/, 'a 160-bit Base32 key')
    const again = await client.get('/account/two-step-verification/set-up')
    assert.equal(again.$('#setup-key').text().replace(/\s/g, ''), key, 'reloading does not invalidate what was scanned')
  })

  it('refuses a wrong or malformed code with an error summary and turns nothing on', async () => {
    const user = await app.factories.user(org, ['auditor'])
    const client = await app.signedIn(user)
    await client.get('/account/two-step-verification/set-up')
    const empty = await client.post('/account/two-step-verification/set-up', { code: '' })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorSummary(empty), ['Enter the 6-digit code from your authenticator app'])
    const letters = await client.post('/account/two-step-verification/set-up', { code: '12ab56' })
    assert.deepEqual(errorSummary(letters), ['The code must be 6 digits'])
    const wrong = await client.post('/account/two-step-verification/set-up', { code: '000000' })
    assert.equal(wrong.status, 400)
    assert.deepEqual(errorSummary(wrong), ['The code is not correct. Enter the code your authenticator app shows now'])
    const row = await app.database.db.selectFrom('user_mfa').select('enabled_at').where('user_id', '=', user.id).executeTakeFirstOrThrow()
    assert.equal(row.enabled_at, null)
    assert.equal(await app.database.db.selectFrom('mfa_recovery_code').select('id').where('user_id', '=', user.id).execute().then((r) => r.length), 0)
  })

  it('turns it on with a code from the app, shows ten recovery codes once, and keeps only hashes and ciphertext', async () => {
    const user = await app.factories.user(org, ['admin'])
    const client = await app.signedIn(user)
    const otherBrowser = await app.signedIn(user)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const { secret, recoveryCodes } = await enrolAuthenticator(app, client)

    assert.equal(recoveryCodes.length, 10)
    assert.equal(new Set(recoveryCodes).size, 10)
    for (const code of recoveryCodes) assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)

    const stored = await app.database.db.selectFrom('user_mfa').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow()
    assert.ok(stored.enabled_at)
    assert.ok(!stored.secret_ciphertext.includes(secret), 'the key is not stored in clear')
    assert.match(stored.secret_ciphertext, /^v1\./)
    const hashes = await app.database.db.selectFrom('mfa_recovery_code').select('code_hash').where('user_id', '=', user.id).execute()
    assert.equal(hashes.length, 10)
    for (const h of hashes) {
      assert.match(h.code_hash, /^\$argon2id\$/)
      assert.ok(!recoveryCodes.some((c) => h.code_hash.includes(c)))
    }
    const sessions = await app.database.db.selectFrom('http_session').select('data').where('user_id', '=', user.id).execute()
    assert.ok(!JSON.stringify(sessions).includes(secret), 'the key never sits in the session')

    // The page that showed the codes cannot show them again; the overview says it is on.
    const overview = await client.get('/account/two-step-verification')
    assert.match(overview.text, /Recovery codes left/)
    assert.ok(!recoveryCodes.some((c) => overview.text.includes(c)))
    const setUpAgain = await client.get('/account/two-step-verification/set-up')
    assert.equal(setUpAgain.status, 303)
    assert.equal(setUpAgain.location, '/account/two-step-verification')

    // Sessions that signed in with the password alone end; this one carries on.
    assert.equal((await otherBrowser.get('/')).status, 303)
    assert.equal((await client.get('/')).status, 200)

    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    const enrol = rows.filter((r) => r.action === 'auth.mfa-enrol')
    assert.equal(enrol.length, 1)
    assert.equal(enrol[0]!.outcome, 'success')
    assert.equal(enrol[0]!.record_id, user.id)
    assert.ok(!JSON.stringify(rows.map((r) => r.details)).includes(secret))
  })

  it('refuses a second confirmation with the same code (a double submit changes nothing)', async () => {
    const user = await app.factories.user(org, ['senior_lead_officer'])
    const client = await app.signedIn(user)
    const page = await client.get('/account/two-step-verification/set-up')
    const secret = page.$('#setup-key').text().replace(/\s/g, '')
    const code = totpAt(secret, app.clock.now())
    const first = await client.post('/account/two-step-verification/set-up', { code })
    assert.equal(first.status, 200)
    const codesBefore = await countRows(app.database.db, 'mfa_recovery_code')
    const second = await client.post('/account/two-step-verification/set-up', { code })
    assert.equal(second.status, 303)
    assert.equal(second.location, '/account/two-step-verification')
    assert.equal(await countRows(app.database.db, 'mfa_recovery_code'), codesBefore, 'no second set of recovery codes')
  })

  it('needs the CSRF token to turn it on', async () => {
    const user = await app.factories.user(org, ['dso'])
    const client = await app.signedIn(user)
    const page = await client.get('/account/two-step-verification/set-up')
    const secret = page.$('#setup-key').text().replace(/\s/g, '')
    const refused = await client.post('/account/two-step-verification/set-up', { code: totpAt(secret, app.clock.now()), _csrf: 'not-the-token' })
    assert.equal(refused.status, 403)
    const row = await app.database.db.selectFrom('user_mfa').select('enabled_at').where('user_id', '=', user.id).executeTakeFirstOrThrow()
    assert.equal(row.enabled_at, null)
  })
})
