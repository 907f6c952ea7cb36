import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { allocateAs } from '../../../../test/helpers/triage.js'

describe('in-app notifications', () => {
  let app: TestApp

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:00:00Z' })
  })
  after(() => app.stop())

  it('shows a count in the header, lists them newest first, and marks them read', async () => {
    const org = await app.factories.organisation()
    const staff = await app.factories.user(org, [])
    const manager = await app.factories.user(org, ['safeguarding_manager'])
    const lead = await app.factories.user(org, ['dso'])
    const second = await app.factories.user(org, ['dso'])
    const other = await app.factories.user(org, ['dso'])
    const first = await app.factories.concern(staff)
    const later = await app.factories.concern(staff)
    await allocateAs(app, manager, first.id, lead, second)
    app.clock.advanceMinutes(5)
    await allocateAs(app, manager, later.id, lead, other)

    const client = await app.signedIn(lead)
    const home = await client.get('/')
    assert.match(home.$('.kestrel-account__link').text(), /Notifications\s*2\s*unread/)
    const page = await client.get('/notifications')
    const items = page.$('.kestrel-notification').map((_, el) => page.$(el).text().replace(/\s+/g, ' ').trim()).get()
    assert.equal(items.length, 2)
    assert.match(items[0]!, new RegExp(`New You are the Lead DSO for concern ${later.reference}`))
    assert.match(items[1]!, new RegExp(first.reference))
    assert.equal(page.$(`a[href="/concerns/${later.id}"]`).length, 1)

    // Someone else's notifications are not shown.
    const otherPage = await (await app.signedIn(other)).get('/notifications')
    assert.equal(otherPage.$('.kestrel-notification').length, 1)

    const read = await client.post('/notifications/read')
    assert.equal(read.status, 303)
    const after = await client.get('/notifications')
    assert.equal(after.$('.govuk-tag:contains("New")').length, 0)
    assert.doesNotMatch(after.$('.kestrel-account__link').text(), /unread/)
  })
})
