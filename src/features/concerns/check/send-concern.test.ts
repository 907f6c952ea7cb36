import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { headingText } from '../../../../test/helpers/client.js'
import { answerConcernForm, completeConcernForm, raiseConcernThroughForms } from '../../../../test/helpers/concern-form.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { countRows } from '../../../../test/helpers/records.js'

describe('sending a concern: one concern per submission, its reference and the confirmation', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser

  before(async () => {
    // Monday 9 March 2026, 10:15 London time (GMT).
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
  })
  after(() => app.stop())

  async function referenceOf(id: string): Promise<string> {
    const row = await app.database.db.selectFrom('concern').select('reference').where('id', '=', id).executeTakeFirstOrThrow()
    return row.reference
  }

  it('creates one concern when the send button is posted twice in a row', async () => {
    const client = await app.signedIn(staff)
    const key = await answerConcernForm(client, completeConcernForm(org))
    const before = await countRows(app.database.db, 'concern')
    const first = await client.post('/concerns/new/check', { submissionKey: key })
    const second = await client.post('/concerns/new/check', { submissionKey: key })
    assert.equal(first.status, 303)
    assert.equal(second.status, 303)
    assert.equal(second.location, first.location, 'the second click shows the same confirmation')
    assert.equal(await countRows(app.database.db, 'concern'), before + 1)
    const audits = await app.database.db.selectFrom('audit_event').select('id').where('action', '=', 'concern.create').where('record_id', '=', first.location!.split('/')[2]!).execute()
    assert.equal(audits.length, 1, 'one concern, one audit row')
  })

  it('creates one concern when it is sent ten times at once, and burns no reference number', async () => {
    const client = await app.signedIn(staff)
    const key = await answerConcernForm(client, completeConcernForm(org))
    const before = await countRows(app.database.db, 'concern')
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.post('/concerns/new/check', { submissionKey: key })))
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(10).fill(303),
    )
    const locations = new Set(answers.map((a) => a.location))
    assert.equal(locations.size, 1, `every answer shows the same concern: ${[...locations].join(', ')}`)
    assert.equal(await countRows(app.database.db, 'concern'), before + 1)
    const row = await app.database.db.selectFrom('concern').select(['id', 'reference']).where('submission_key', '=', key).executeTakeFirstOrThrow()
    assert.equal([...locations][0], `/concerns/${row.id}/confirmation`)

    const nextId = await raiseConcernThroughForms(client, completeConcernForm(org))
    const sequence = (reference: string) => Number(reference.split('-')[2])
    assert.equal(sequence(await referenceOf(nextId)), sequence(row.reference) + 1, 'the losing submissions did not use up reference numbers')
  })

  it('shows the same confirmation after going back and sending again', async () => {
    const client = await app.signedIn(staff)
    const key = await answerConcernForm(client, completeConcernForm(org))
    const sent = await client.post('/concerns/new/check', { submissionKey: key })
    const before = await countRows(app.database.db, 'concern')
    // The browser's back button shows check your answers again (from its cache or the server).
    const back = await client.get('/concerns/new/check')
    assert.equal(back.status, 303)
    assert.equal(back.location, sent.location, 'the check page now leads to the concern already sent')
    const resent = await client.post('/concerns/new/check', { submissionKey: key })
    assert.equal(resent.location, sent.location)
    assert.equal(await countRows(app.database.db, 'concern'), before)
    const confirmation = await client.get(resent.location!)
    assert.equal(confirmation.status, 200)
    assert.equal(confirmation.$('.govuk-panel__title').text().trim(), 'Concern sent')
  })

  it('starts a new submission after a concern has been sent', async () => {
    const client = await app.signedIn(staff)
    const firstKey = await answerConcernForm(client, completeConcernForm(org))
    await client.post('/concerns/new/check', { submissionKey: firstKey })
    const form = await client.get('/concerns/new')
    assert.equal(form.$('#personName').attr('value') ?? '', '', 'the next concern starts blank')
    const secondKey = await answerConcernForm(client, { ...completeConcernForm(org), personName: 'Another Person' })
    assert.notEqual(secondKey, firstKey)
  })

  it('sends nothing for a key that is not this session’s draft', async () => {
    const client = await app.signedIn(staff)
    await answerConcernForm(client, completeConcernForm(org))
    const before = await countRows(app.database.db, 'concern')
    const forged = await client.post('/concerns/new/check', { submissionKey: '0190a6a4-1c2b-7d3e-8f40-123456789abc' })
    assert.equal(forged.status, 303)
    assert.equal(forged.location, '/concerns/new')
    const notAKey = await client.post('/concerns/new/check', { submissionKey: 'not-a-uuid' })
    assert.equal(notAKey.location, '/concerns/new')
    assert.equal(await countRows(app.database.db, 'concern'), before)
  })

  it('does not let another person replay someone else’s submission key', async () => {
    const owner = await app.signedIn(staff)
    const key = await answerConcernForm(owner, completeConcernForm(org))
    const sent = await owner.post('/concerns/new/check', { submissionKey: key })
    const otherUser = await app.factories.user(org)
    const other = await app.signedIn(otherUser)
    await other.get('/concerns/new')
    const replay = await other.post('/concerns/new/check', { submissionKey: key })
    assert.equal(replay.status, 303)
    assert.notEqual(replay.location, sent.location, 'the other person is not shown the owner’s confirmation')
    assert.equal((await other.get(sent.location!)).status, 404)
  })

  it('shows the reference, what happens next, the deadline and no 999 warning when nobody is in danger', async () => {
    const client = await app.signedIn(staff)
    const id = await raiseConcernThroughForms(client, completeConcernForm(org))
    const page = await client.get(`/concerns/${id}/confirmation`)
    assert.equal(page.status, 200)
    assert.equal(page.$('.govuk-panel__body strong').text().trim(), await referenceOf(id))
    assert.match(page.$('.govuk-panel__body strong').text(), /^SG-2026-\d{5}$/)
    assert.equal(headingText(page), 'Concern sent')
    assert.match(page.$('main').text().replace(/\s+/g, ' '), /this one by the end of 11 March 2026/)
    assert.match(page.text, /What happens next/)
    assert.doesNotMatch(page.text, /call 999/)
  })

  it('shows the 999 warning on the confirmation when someone was in immediate danger', async () => {
    const client = await app.signedIn(staff)
    const id = await raiseConcernThroughForms(client, { ...completeConcernForm(org), immediateDanger: 'yes' })
    const page = await client.get(`/concerns/${id}/confirmation`)
    const warning = page.$('.govuk-warning-text').text().replace(/\s+/g, ' ')
    assert.match(warning, /You said someone is in immediate danger\. If you have not already, call 999 now\./)
    const row = await app.database.db.selectFrom('concern').select('immediate_danger').where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.immediate_danger, true, 'the concern is still recorded')
  })

  it('numbers references per organisation and restarts them in a new calendar year', async () => {
    const council = await app.factories.organisation('Numbering Council')
    const referrer = await app.factories.user(council)
    const neighbour = await app.factories.organisation('Neighbouring Council')
    const neighbourReferrer = await app.factories.user(neighbour)
    const form = (o: TestOrganisation) => ({ ...completeConcernForm(o), 'happened-day': '', 'happened-month': '', 'happened-year': '' })

    // 23:30 on New Year's Eve, London time.
    app.clock.set('2026-12-31T23:30:00Z')
    const client = await app.signedIn(referrer)
    const a = await raiseConcernThroughForms(client, form(council))
    const b = await raiseConcernThroughForms(client, form(council))
    const neighbourClient = await app.signedIn(neighbourReferrer)
    const c = await raiseConcernThroughForms(neighbourClient, form(neighbour))

    // 00:30 on New Year's Day.
    app.clock.set('2027-01-01T00:30:00Z')
    const later = await app.signedIn(referrer) // an hour on, the first session has timed out
    const d = await raiseConcernThroughForms(later, form(council))
    const e = await raiseConcernThroughForms(later, form(council))

    assert.deepEqual(await Promise.all([a, b, c, d, e].map(referenceOf)), ['SG-2026-00001', 'SG-2026-00002', 'SG-2026-00001', 'SG-2027-00001', 'SG-2027-00002'])
    app.clock.set('2026-03-09T10:15:00Z')
  })

  it('counts the receipt day on the London calendar, not UTC', async () => {
    const council = await app.factories.organisation('Summer Council')
    const referrer = await app.factories.user(council)
    app.clock.set('2026-06-05T23:30:00Z') // 00:30 on Saturday 6 June in London
    const client = await app.signedIn(referrer)
    const id = await raiseConcernThroughForms(client, { ...completeConcernForm(council), 'happened-day': '', 'happened-month': '', 'happened-year': '' })
    const row = await app.database.db.selectFrom('concern').select(['due_at', 'reference']).where('id', '=', id).executeTakeFirstOrThrow()
    // Received on Saturday (London): day 0 is Saturday, so the deadline is the end of Tuesday 9 June.
    assert.equal(row.due_at.toISOString(), '2026-06-09T22:59:59.999Z')
    app.clock.set('2026-03-09T10:15:00Z')
  })

  it('refuses to send without the CSRF token', async () => {
    const client = await app.signedIn(staff)
    const key = await answerConcernForm(client, completeConcernForm(org))
    const before = await countRows(app.database.db, 'concern')
    const page = await client.post('/concerns/new/check', { submissionKey: key }, { csrf: false })
    assert.equal(page.status, 403)
    assert.equal(await countRows(app.database.db, 'concern'), before)
  })
})
