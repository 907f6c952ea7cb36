import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText, type Page, type TestClient } from '../../../../test/helpers/client.js'
import { answerConcernForm, completeConcernForm } from '../../../../test/helpers/concern-form.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { countRows } from '../../../../test/helpers/records.js'

function offeredServices(form: Page): string[] {
  return form
    .$('#serviceId option')
    .map((_, o) => form.$(o).text().trim())
    .get()
    .filter((t) => t !== 'Choose your service')
}

describe('services (reference data)', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser
  let staff: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    admin = await app.factories.user(org, ['admin'])
    staff = await app.factories.user(org)
  })
  after(() => app.stop())

  async function adminOn(path: string): Promise<{ client: TestClient; page: Page }> {
    const client = await app.signedIn(admin)
    const page = await client.get(path)
    assert.equal(page.status, 200)
    return { client, page }
  }

  async function serviceNamed(name: string) {
    return app.database.db.selectFrom('service').selectAll().where('organisation_id', '=', org.id).where('name', '=', name).executeTakeFirstOrThrow()
  }

  it('adds a service, which the concern form then offers', async () => {
    const { client, page } = await adminOn('/admin/services')
    assert.equal(headingText(page), 'Reference data')
    const added = await client.post('/admin/services', { name: '  Waste & Recycling  ' })
    assert.equal(added.status, 303)
    const list = await client.get('/admin/services')
    assert.match(list.$('.govuk-notification-banner').text(), /Waste & Recycling has been added\./)
    assert.deepEqual(
      list.$('tbody tr td:first-child').map((_, td) => list.$(td).text().trim()).get(),
      ['Housing Management', 'Customer Services', 'Leisure Services', 'Waste & Recycling'],
    )
    const service = await serviceNamed('Waste & Recycling')
    const audit = await app.database.db.selectFrom('audit_event').select(['action', 'actor_user_id']).where('record_id', '=', service.id).execute()
    assert.deepEqual(audit, [{ action: 'reference.service.create', actor_user_id: admin.id }])

    const form = await (await app.signedIn(staff)).get('/concerns/new')
    assert.deepEqual(offeredServices(form), ['Housing Management', 'Customer Services', 'Leisure Services', 'Waste & Recycling'])
  })

  it('refuses a blank name and a name already used, whatever its case', async () => {
    const { client } = await adminOn('/admin/services')
    const before = await countRows(app.database.db, 'service')
    const blank = await client.post('/admin/services', { name: '   ' })
    assert.equal(blank.status, 400)
    assert.deepEqual(errorSummary(blank), ['Enter the name of the service'])
    const duplicate = await client.post('/admin/services', { name: 'housing management' })
    assert.equal(duplicate.status, 400)
    assert.deepEqual(errorSummary(duplicate), ['There is already a service with this name'])
    assert.equal(duplicate.$('#name').attr('value'), 'housing management')
    const long = await client.post('/admin/services', { name: 'S'.repeat(121) })
    assert.deepEqual(errorSummary(long), ['Service name must be 120 characters or less'])
    assert.equal(await countRows(app.database.db, 'service'), before)
  })

  it('adds one service when two administrators add the same name at the same moment, and tells the other', async () => {
    const { client } = await adminOn('/admin/services')
    const { client: other } = await adminOn('/admin/services')
    const answers = await Promise.all(['Youth Offending Team', 'youth offending team', 'Youth Offending Team', 'YOUTH OFFENDING TEAM'].map((name, i) => (i % 2 ? other : client).post('/admin/services', { name })))
    assert.deepEqual(answers.map((a) => a.status).sort(), [303, 400, 400, 400])
    for (const refused of answers.filter((a) => a.status === 400)) assert.deepEqual(errorSummary(refused), ['There is already a service with this name'])
    const rows = await app.database.db.selectFrom('service').select('name').where('organisation_id', '=', org.id).where((eb) => eb(eb.fn('lower', ['name']), '=', 'youth offending team')).execute()
    assert.equal(rows.length, 1)
  })

  it('renames a service; past concerns show the new name', async () => {
    const leisure = org.services[2]!
    const { id: concernId } = await app.factories.concern(staff, { serviceId: leisure.id, personName: 'Leisure Person' })
    const { client, page } = await adminOn(`/admin/services/${leisure.id}`)
    assert.equal(headingText(page), 'Change Leisure Services')
    const renamed = await client.post(`/admin/services/${leisure.id}`, { name: 'Leisure and Culture', active: 'yes' })
    assert.equal(renamed.status, 303)
    assert.equal((await serviceNamed('Leisure and Culture')).id, leisure.id)
    const mine = await (await app.signedIn(staff)).get(`/my-concerns/${concernId}`)
    assert.match(mine.text, /Leisure and Culture/)

    const clash = await client.post(`/admin/services/${leisure.id}`, { name: 'Customer Services', active: 'yes' })
    assert.equal(clash.status, 400)
    assert.deepEqual(errorSummary(clash), ['There is already a service with this name'])
    const unanswered = await client.post(`/admin/services/${leisure.id}`, { name: 'Leisure and Culture' })
    assert.deepEqual(errorSummary(unanswered), ['Select whether the service is still in use'])
    const keepOwnName = await client.post(`/admin/services/${leisure.id}`, { name: 'LEISURE AND CULTURE', active: 'yes' })
    assert.equal(keepOwnName.status, 303, 'a service may change the case of its own name')
  })

  it('stops offering a deactivated service on the concern form, and says so if a draft used it', async () => {
    const customer = org.services[1]!
    const referrer = await app.signedIn(staff)
    await answerConcernForm(referrer, { ...completeConcernForm(org), serviceId: customer.id })

    const { client } = await adminOn(`/admin/services/${customer.id}`)
    assert.equal((await client.post(`/admin/services/${customer.id}`, { name: 'Customer Services', active: 'no' })).status, 303)
    const list = await client.get('/admin/services')
    assert.match(list.$('tbody tr').filter((_, tr) => list.$(tr).text().includes('Customer Services')).text(), /No longer used/)

    const before = await countRows(app.database.db, 'concern')
    const check = await referrer.get('/concerns/new/check')
    const sent = await referrer.post('/concerns/new/check', { submissionKey: check.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(sent.status, 303)
    assert.equal(sent.location, '/concerns/new')
    assert.equal(await countRows(app.database.db, 'concern'), before, 'nothing is sent with a service no longer in use')
    const form = await referrer.get('/concerns/new')
    assert.deepEqual(errorSummary(form), ['Select the service you work in'])
    assert.ok(!offeredServices(form).includes('Customer Services'))
    assert.equal(form.$('#personName').attr('value'), 'Margaret Ellis', 'the rest of the draft is kept')

    const reactivated = await client.post(`/admin/services/${customer.id}`, { name: 'Customer Services', active: 'yes' })
    assert.equal(reactivated.status, 303)
    assert.ok(offeredServices(await referrer.get('/concerns/new')).includes('Customer Services'))
  })

  it('answers 404 for another organisation’s service and is for administrators only', async () => {
    const elsewhere = await app.factories.organisation('Elsewhere Council')
    const { client } = await adminOn('/admin/services')
    assert.equal((await client.get(`/admin/services/${elsewhere.services[0]!.id}`)).status, 404)
    assert.equal((await client.post(`/admin/services/${elsewhere.services[0]!.id}`, { name: 'Hijacked', active: 'no' })).status, 404)
    const theirs = await app.database.db.selectFrom('service').select(['name', 'active']).where('id', '=', elsewhere.services[0]!.id).executeTakeFirstOrThrow()
    assert.deepEqual(theirs, { name: 'Housing Management', active: true })
    const manager = await app.signedIn(await app.factories.user(org, ['safeguarding_manager', 'dso']))
    assert.equal((await manager.get('/admin/services')).status, 403)
  })
})
