import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, testConfig, type TestApp } from '../../../../test/helpers/app.js'
import { createLogger } from '../../../logger.js'
import { startServer } from '../../../server.js'
import { generateKey, open, seal } from '../../../services/secret-box.js'
import { errorSummary } from '../../../../test/helpers/client.js'
import { saveNotificationSettings } from '../../../repositories/notification-settings-repository.js'
import { EMAIL_KINDS } from '../../../services/notification-messages.js'

const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0'
const API_KEY = `live-26785a09-ab16-4eb0-8407-a37497a57506-${SECRET}`
const TEMPLATE_ID = 'f33517ff-2a88-4f6e-b855-c550268ce08a'
const GENERAL_ID = '0c6f3d2e-5b1a-4c8e-9f7d-2a4b6c8d0e1f'
const TEMPLATES = Object.fromEntries(EMAIL_KINDS.map((k) => [`template_${k}`, TEMPLATE_ID]))

async function settingsRow(app: TestApp, organisationId: string) {
  return app.database.db.selectFrom('organisation_notification_setting').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst()
}

describe('the Notify API key on the email settings page, without an encryption key', () => {
  let app: TestApp

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T10:00:00Z', config: { encryptionKeys: undefined } })
  })
  after(() => app.stop())

  it('refuses to save a Notify key it cannot seal, and saves nothing; other settings still save', async () => {
    assert.equal(app.server.deps.config.encryptionKeys, undefined)
    const org = await app.factories.organisation()
    const admin = await app.factories.user(org, ['admin'])
    const client = await app.signedIn(admin)
    const page = await client.get('/admin/notification-settings')
    const version = page.$('input[name="version"]').attr('value')!

    const refused = await client.post('/admin/notification-settings', { version, emailDelivery: 'notify', notifyApiKey: API_KEY, ...TEMPLATES })
    assert.equal(refused.status, 400)
    assert.deepEqual(errorSummary(refused), ['Kestrel needs an encryption key to keep the GOV.UK Notify API key safe: set KESTREL_ENCRYPTION_KEY and restart Kestrel (see docs/operations.md)'])
    assert.equal(refused.$('.govuk-error-summary__list a').attr('href'), '#notifyApiKey')
    assert.ok(!refused.text.includes(SECRET), 'the key is not shown back')
    assert.equal(await settingsRow(app, org.id), undefined, 'nothing saved')
    const audited = await app.database.db.selectFrom('audit_event').select('id').where('organisation_id', '=', org.id).where('action', '=', 'settings.notifications.update').execute()
    assert.deepEqual(audited, [])

    // Without a Notify key, settings save as before.
    const saved = await client.post('/admin/notification-settings', { version, emailDelivery: 'outbox', ...TEMPLATES })
    assert.equal(saved.status, 303)
    const row = await settingsRow(app, org.id)
    assert.equal(row?.email_delivery, 'outbox')
    assert.equal(row?.notify_api_key, null)
  })

  it('keeps a key saved in plain text before sealing when other settings change', async () => {
    const org = await app.factories.organisation()
    const admin = await app.factories.user(org, ['admin'])
    await saveNotificationSettings(app.database.db, org.id, 0, { emailDelivery: 'outbox', notifyApiKey: API_KEY, notifyTemplates: {} }, app.clock.now())
    const client = await app.signedIn(admin)
    const page = await client.get('/admin/notification-settings')
    const saved = await client.post('/admin/notification-settings', { version: page.$('input[name="version"]').attr('value')!, emailDelivery: 'notify', ...TEMPLATES })
    assert.deepEqual(errorSummary(saved), [])
    assert.equal(saved.status, 303)
    const row = await settingsRow(app, org.id)
    assert.equal(row?.email_delivery, 'notify')
    assert.equal(row?.notify_api_key, API_KEY, 'it cannot be sealed, and is not lost')
  })
})

describe('the Notify API key on the email settings page, with an encryption key', () => {
  let app: TestApp

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
  })
  after(() => app.stop())

  it('seals a key saved in plain text before sealing the next time the settings are saved', async () => {
    const org = await app.factories.organisation()
    const admin = await app.factories.user(org, ['admin'])
    await saveNotificationSettings(app.database.db, org.id, 0, { emailDelivery: 'notify', notifyApiKey: API_KEY, notifyTemplates: {} }, app.clock.now())
    const client = await app.signedIn(admin)
    const page = await client.get('/admin/notification-settings')
    assert.match(page.text, /A key is saved/)
    assert.ok(!page.text.includes(SECRET), 'the key is never shown')
    const saved = await client.post('/admin/notification-settings', { version: page.$('input[name="version"]').attr('value')!, emailDelivery: 'notify', ...TEMPLATES })
    assert.deepEqual(errorSummary(saved), [])
    assert.equal(saved.status, 303)
    const stored = (await settingsRow(app, org.id))?.notify_api_key ?? ''
    assert.match(stored, /^v1\./)
    assert.ok(!stored.includes(SECRET))
    const auditRow = await app.database.db.selectFrom('audit_event').select('details').where('organisation_id', '=', org.id).where('action', '=', 'settings.notifications.update').executeTakeFirstOrThrow()
    assert.equal((auditRow.details as Record<string, unknown>).api_key_changed, false)
    assert.ok(!JSON.stringify(auditRow.details).includes(SECRET))
  })

  it('sends every kind of email with one general template; warns about kinds no saved template covers, as after an upgrade', async () => {
    const org = await app.factories.organisation()
    const admin = await app.factories.user(org, ['admin'])
    // Saved before account_security existed: every other kind has its own template.
    const older = Object.fromEntries(EMAIL_KINDS.filter((k) => k !== 'account_security').map((k) => [k, TEMPLATE_ID]))
    await saveNotificationSettings(app.database.db, org.id, 0, { emailDelivery: 'notify', notifyApiKey: seal(app.server.deps.config.encryptionKeys!, API_KEY, `notify_api_key:${org.id}`), notifyTemplates: older }, app.clock.now())
    const client = await app.signedIn(admin)
    const page = await client.get('/admin/notification-settings')
    const warning = page.$('.govuk-warning-text__text').text()
    assert.match(warning, /wait in the outbox: Your password or two-step verification changed/)
    assert.doesNotMatch(warning, /You have been allocated a concern/)
    const version = page.$('input[name="version"]').attr('value')!

    // Notify with neither a general template nor one for every kind: refused, nothing changes.
    const refused = await client.post('/admin/notification-settings', { version, emailDelivery: 'notify', template_allocation: TEMPLATE_ID })
    assert.equal(refused.status, 400)
    assert.match(errorSummary(refused)[0]!, /^Enter a general template id, or a template id for each kind of email \(missing: The Second DSO agreed/)
    assert.equal(refused.$('.govuk-error-summary__list a').attr('href'), '#template_general')
    assert.deepEqual((await settingsRow(app, org.id))?.notify_templates, older)

    const badId = await client.post('/admin/notification-settings', { version, emailDelivery: 'notify', template_general: 'not-a-template' })
    assert.deepEqual(errorSummary(badId), ['The template id for “any email without its own template” must be a GOV.UK Notify template id (a UUID)'])

    // A general template alone is enough, and a kind's own template is kept beside it.
    const saved = await client.post('/admin/notification-settings', { version, emailDelivery: 'notify', template_general: GENERAL_ID, template_allocation: TEMPLATE_ID })
    assert.deepEqual(errorSummary(saved), [])
    assert.equal(saved.status, 303)
    assert.deepEqual((await settingsRow(app, org.id))?.notify_templates, { allocation: TEMPLATE_ID, general: GENERAL_ID })
    const after = await client.get('/admin/notification-settings')
    assert.equal(after.$('.govuk-warning-text').length, 0)
    assert.equal(after.$('#template_general').attr('value'), GENERAL_ID)
    assert.equal(after.$('#template_allocation').attr('value'), TEMPLATE_ID)
  })

  it('seals, when Kestrel starts, every key kept in plain text or under a previous encryption key, and leaves one it cannot open', async () => {
    const current = app.server.deps.config.encryptionKeys!
    const retired = generateKey()
    const unknown = generateKey()
    const [plain, rotated, foreign] = [await app.factories.organisation(), await app.factories.organisation(), await app.factories.organisation()]
    const ad = (orgId: string) => `notify_api_key:${orgId}`
    await saveNotificationSettings(app.database.db, plain.id, 0, { emailDelivery: 'notify', notifyApiKey: API_KEY, notifyTemplates: {} }, app.clock.now())
    const underRetired = seal({ current: retired, previous: [] }, API_KEY, ad(rotated.id))
    await saveNotificationSettings(app.database.db, rotated.id, 0, { emailDelivery: 'notify', notifyApiKey: underRetired, notifyTemplates: {} }, app.clock.now())
    const unopenable = seal({ current: unknown, previous: [] }, API_KEY, ad(foreign.id))
    await saveNotificationSettings(app.database.db, foreign.id, 0, { emailDelivery: 'notify', notifyApiKey: unopenable, notifyTemplates: {} }, app.clock.now())

    // A restart: another server on the same database, with the retired key listed as previous.
    const restarted = await startServer(testConfig({ encryptionKeys: { current: current.current, previous: [retired] } }), {
      database: { ...app.database, close: async () => {}, checkpoint: async () => {} },
      logger: createLogger('silent'),
    })
    await restarted.stop()

    for (const org of [plain, rotated]) {
      const stored = (await settingsRow(app, org.id))?.notify_api_key ?? ''
      assert.match(stored, /^v1\./)
      assert.ok(!stored.includes(SECRET))
      assert.deepEqual(open(current, stored, ad(org.id)), { plaintext: API_KEY, stale: false }, 'sealed under the current key')
    }
    assert.equal((await settingsRow(app, foreign.id))?.notify_api_key, unopenable, 'a key that does not open is left for its organisation to replace')
  })
})
