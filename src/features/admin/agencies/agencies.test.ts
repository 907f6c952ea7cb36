import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { EMAIL_KINDS } from '../../../services/notification-messages.js'

describe('administration for triage: agencies, emails and email settings', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser
  let dso: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
    org = await app.factories.organisation()
    admin = await app.factories.user(org, ['admin'])
    dso = await app.factories.user(org, ['dso'])
  })
  after(() => app.stop())

  it('starts each organisation with the default agencies; an administrator adds, renames and retires them', async () => {
    const client = await app.signedIn(admin)
    const page = await client.get('/admin/agencies')
    assert.equal(page.status, 200)
    assert.ok(page.$('a:contains("Adult Social Care")').length === 1)
    assert.ok(page.$('.moj-sub-navigation a[aria-current="page"]:contains("Agencies")').length === 1)
    assert.deepEqual(errorSummary(await client.post('/admin/agencies', { name: ' adult social care ' })), ['There is already an agency with this name'])
    assert.equal((await client.post('/admin/agencies', { name: 'Citizens Advice' })).status, 303)
    const agency = await app.database.db.selectFrom('agency').selectAll().where('organisation_id', '=', org.id).where('name', '=', 'Citizens Advice').executeTakeFirstOrThrow()
    const edit = await client.get(`/admin/agencies/${agency.id}`)
    assert.equal(edit.status, 200)
    assert.equal((await client.post(`/admin/agencies/${agency.id}`, { name: 'Citizens Advice Wealdmoor', active: 'no', version: String(agency.version) })).status, 303)
    assert.equal((await client.post(`/admin/agencies/${agency.id}`, { name: 'Something else', active: 'yes', version: String(agency.version) })).status, 409)
    const saved = await app.database.db.selectFrom('agency').select(['name', 'active']).where('id', '=', agency.id).executeTakeFirstOrThrow()
    assert.deepEqual(saved, { name: 'Citizens Advice Wealdmoor', active: false })
    // Retired agencies are not offered to DSOs (the form lists active ones only).
    assert.ok(await app.database.db.selectFrom('audit_event').select('id').where('action', '=', 'reference.agency.update').executeTakeFirst())
  })

  it('lets an administrator read the outbox and one email; others cannot', async () => {
    const staff = await app.factories.user(org, [])
    const { id } = await app.factories.concern(staff)
    const manager = await app.factories.user(org, ['safeguarding_manager'])
    const lead = await app.factories.user(org, ['dso'])
    const second = await app.factories.user(org, ['dso'])
    const { allocateAs } = await import('../../../../test/helpers/triage.js')
    await allocateAs(app, manager, id, lead, second)
    const client = await app.signedIn(admin)
    const list = await client.get('/admin/emails')
    assert.equal(list.status, 200)
    assert.match(list.text, /Emails are kept here and not sent/)
    const link = list.$('a[href^="/admin/emails/"]').first().attr('href')!
    const one = await client.get(link)
    assert.match(one.$('.kestrel-exact-text').text(), /Sign in to Kestrel to see it/)
    assert.match(one.text, /Kept in the outbox/)
    const dsoClient = await app.signedIn(dso)
    assert.equal((await dsoClient.get('/admin/emails')).status, 403)
  })

  it('validates email settings and never shows the saved Notify key', async () => {
    const client = await app.signedIn(admin)
    const page = await client.get('/admin/notification-settings')
    const version = page.$('input[name="version"]').attr('value')!
    const bad = await client.post('/admin/notification-settings', { version, emailDelivery: 'notify', notifyApiKey: 'nope' })
    assert.equal(bad.status, 400)
    assert.equal(errorSummary(bad)[0], 'Enter the whole API key from GOV.UK Notify, like name-xxxxxxxx-…-xxxxxxxx')
    const smtp = await client.post('/admin/notification-settings', { version, emailDelivery: 'smtp' })
    assert.deepEqual(errorSummary(smtp), ['SMTP is not set up: set SMTP_URL and restart Kestrel, or choose another way'])
    const key = 'live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0'
    // One template per kind of email (other features add kinds to the list).
    const templates = Object.fromEntries(EMAIL_KINDS.map((k, i) => [`template_${k}`, `f33517ff-2a88-4f6e-b855-c550268ce0${String(i).padStart(2, '0')}`]))
    const ok = await client.post('/admin/notification-settings', { version, emailDelivery: 'notify', notifyApiKey: key, ...templates })
    assert.deepEqual(errorSummary(ok), [])
    assert.equal(ok.status, 303)
    const after = await client.get('/admin/notification-settings')
    assert.ok(!after.text.includes('3d844edf-8d35-48ac-975b-e847b4f122b0'), 'the key is never shown again')
    assert.match(after.text, /A key is saved/)
    const auditRow = await app.database.db.selectFrom('audit_event').select('details').where('action', '=', 'settings.notifications.update').executeTakeFirstOrThrow()
    assert.ok(!JSON.stringify(auditRow.details).includes('3d844edf'), 'nor written to the audit log')
  })
})
