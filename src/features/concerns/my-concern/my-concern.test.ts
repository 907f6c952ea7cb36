import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { headingText } from '../../../../test/helpers/client.js'
import { completeConcernForm, raiseConcernThroughForms, summaryAnswers } from '../../../../test/helpers/concern-form.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'

describe('a concern you raised: the referrer’s copy', () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let colleague: TestUser
  let concernId: string

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    referrer = await app.factories.user(org, [], { name: 'Sam Referrer' })
    colleague = await app.factories.user(org, ['dso', 'safeguarding_manager'], { name: 'Colleague Manager' })
    concernId = await raiseConcernThroughForms(await app.signedIn(referrer), completeConcernForm(org))
  })
  after(() => app.stop())

  it('shows exactly what the referrer entered, with a plain status, and audits the view', async () => {
    const client = await app.signedIn(referrer)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const page = await client.get(`/my-concerns/${concernId}`)
    assert.equal(page.status, 200)
    assert.match(headingText(page), /^SG-2026-\d{5}$/)
    const rows = summaryAnswers(page)
    assert.equal(rows.get('Status'), 'Received')
    assert.equal(rows.get('Sent'), '9 March 2026 at 10:15am')
    assert.equal(rows.get('Name'), 'Margaret Ellis')
    assert.equal(rows.get('What happened'), 'Mrs Ellis said her nephew "borrows" her bank card.\n\nShe seemed frightened of him.')
    assert.equal(rows.get('Your service'), org.services[1]!.name)
    assert.equal(page.$('.govuk-summary-list__actions').length, 0, 'a sent concern cannot be changed')
    const audit = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(
      audit.map((r) => [r.action, r.record_id, r.actor_user_id]),
      [['concern.view-own', concernId, referrer.id]],
    )
  })

  it('answers 404 to anyone else, even a safeguarding manager, through the referrer’s pages', async () => {
    const client = await app.signedIn(colleague)
    for (const path of [`/my-concerns/${concernId}`, `/concerns/${concernId}/confirmation`]) {
      const page = await client.get(path)
      assert.equal(page.status, 404, path)
      assert.equal(headingText(page), 'Page not found')
      assert.doesNotMatch(page.text, /Margaret/)
    }
  })

  it('answers 404 to someone in another organisation and to malformed ids', async () => {
    const elsewhere = await app.factories.organisation('Elsewhere Council')
    const stranger = await app.factories.user(elsewhere)
    const client = await app.signedIn(stranger)
    assert.equal((await client.get(`/my-concerns/${concernId}`)).status, 404)
    assert.equal((await client.get(`/concerns/${concernId}/confirmation`)).status, 404)
    const own = await app.signedIn(referrer)
    for (const bad of ['not-an-id', '1', `${concernId}x`, concernId.toUpperCase(), "' OR 1=1 --"]) {
      assert.equal((await own.get(`/my-concerns/${encodeURIComponent(bad)}`)).status, 404, bad)
    }
  })
})
