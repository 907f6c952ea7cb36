import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { caseTeam, openCase, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary, headingText } from '../../../../test/helpers/client.js'
import { appendOnlyRefusal } from '../../../../test/helpers/database.js'
import { auditRowsAfter, countRows, lastAuditSeq } from '../../../../test/helpers/records.js'
import type { TestOrganisation } from '../../../../test/helpers/factories.js'

describe('case record: notes', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let caseId: string

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    caseId = await openCase(app, team)
  })
  after(() => app.stop())

  it('adds a note exactly as typed, with its author and time, audited in the same transaction', async () => {
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${caseId}/notes`)
    assert.equal(page.status, 200)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const body = 'Spoke to ASC duty worker.\n\n  Visit booked for Thursday.'
    const sent = await lead.post(`/concerns/${caseId}/notes`, { body, submissionKey: page.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(sent.status, 303)
    const shown = await lead.follow(sent)
    const note = shown.$('.kestrel-note').first()
    assert.equal(note.find('.kestrel-exact-text').text(), body)
    assert.match(note.find('h3').text(), /Lena Lead, 10 March 2026 at 10:10am/)
    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    const created = rows.find((r) => r.action === 'note.create')
    assert.ok(created)
    assert.equal(created.record_id, caseId)
    assert.doesNotMatch(JSON.stringify(created.details), /ASC|Visit/, 'the audit row holds ids, not the note')
  })

  it('adds one note when the same form is sent twice', async () => {
    const dso = await app.signedIn(team.otherDso)
    const page = await dso.get(`/concerns/${caseId}/notes`)
    const key = page.$('input[name="submissionKey"]').attr('value')!
    const before = await countRows(app.database.db, 'case_note')
    await dso.post(`/concerns/${caseId}/notes`, { body: 'Double click', submissionKey: key })
    await dso.post(`/concerns/${caseId}/notes`, { body: 'Double click', submissionKey: key })
    assert.equal(await countRows(app.database.db, 'case_note'), before + 1)
  })

  it('corrects a note with a new note that points at it; the original stays unchanged', async () => {
    const lead = await app.signedIn(team.lead)
    const list = await lead.get(`/concerns/${caseId}/notes`)
    const original = list.$('.kestrel-note').filter((_, el) => list.$(el).text().includes('Visit booked')).first()
    const correctHref = original.find('a:contains("Correct this note")').attr('href')!
    const form = await lead.get(correctHref)
    assert.equal(headingText(form), 'Correct a note')
    const sent = await lead.post(correctHref, { body: 'Visit booked for Friday, not Thursday.', submissionKey: form.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(sent.status, 303)
    const shown = await lead.follow(sent)
    const text = shown.$('main').text()
    assert.match(text, /Visit booked for Friday, not Thursday\./)
    assert.match(text, /Visit booked for Thursday\./, 'the corrected note is still shown')
    assert.match(text, /Corrected by/)
    assert.match(text, /Corrects/)
    const notes = await app.database.db.selectFrom('case_note').select(['id', 'corrects_id']).where('concern_id', '=', caseId).execute()
    assert.equal(notes.filter((n) => n.corrects_id).length, 1)
  })

  it('refuses to edit or delete a note in the database itself', async () => {
    // The owner is stopped by the trigger; the application's own role lacks even the privilege on PostgreSQL.
    for (const db of [app.database.owner, app.database.db]) {
      const refused = db === app.database.owner ? /append-only/ : appendOnlyRefusal('case_note')
      await assert.rejects(db.updateTable('case_note').set({ body: 'changed' }).where('concern_id', '=', caseId).execute(), refused)
      await assert.rejects(db.deleteFrom('case_note').where('concern_id', '=', caseId).execute(), refused)
    }
  })

  it('refuses an empty note and one over 10,000 characters with a clear message, saving nothing', async () => {
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${caseId}/notes`)
    const before = await countRows(app.database.db, 'case_note')
    const empty = await lead.post(`/concerns/${caseId}/notes`, { body: '   ' })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorSummary(empty), ['Enter the note'])
    const long = 'x'.repeat(10_001)
    const tooLong = await lead.post(`/concerns/${caseId}/notes`, { body: long })
    assert.equal(tooLong.status, 400)
    assert.deepEqual(errorSummary(tooLong), ['The note must be 10,000 characters or less'])
    assert.equal(tooLong.$('#body').text(), long, 'what was typed is kept')
    assert.equal(await countRows(app.database.db, 'case_note'), before)
  })

  it('refuses a note of several megabytes with a clear page, saving nothing', async () => {
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${caseId}/notes`)
    const before = await countRows(app.database.db, 'case_note')
    const huge = await lead.post(`/concerns/${caseId}/notes`, { body: 'A'.repeat(3 * 1024 * 1024) })
    assert.equal(huge.status, 413)
    assert.match(huge.text, /What you sent is too large/)
    assert.match(huge.text, /did not save anything/)
    assert.equal(await countRows(app.database.db, 'case_note'), before)
  })

  it('lets auditors and the Senior Lead Officer read notes but not add them', async () => {
    for (const reader of [team.auditor, team.slo]) {
      const client = await app.signedIn(reader)
      const page = await client.get(`/concerns/${caseId}/notes`)
      assert.equal(page.status, 200)
      assert.match(page.text, /Visit booked for Friday/)
      assert.equal(page.$('textarea[name="body"]').length, 0, 'no form for readers')
      const refused = await client.post(`/concerns/${caseId}/notes`, { body: 'Not mine to add' })
      assert.equal(refused.status, 403)
    }
  })

  it('refuses the CSRF-less post', async () => {
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${caseId}/notes`)
    const refused = await lead.post(`/concerns/${caseId}/notes`, { body: 'No token' }, { csrf: false })
    assert.equal(refused.status, 403)
  })

  it('answers 404 for another organisation’s case and for a referrer', async () => {
    const otherOrg = await app.factories.organisation()
    const outsider = await app.factories.user(otherOrg, ['dso'])
    const outsiderClient = await app.signedIn(outsider)
    assert.equal((await outsiderClient.get(`/concerns/${caseId}/notes`)).status, 404)
    const referrer = await app.signedIn(team.referrer)
    assert.equal((await referrer.get(`/concerns/${caseId}/notes`)).status, 403, 'staff are not let into case pages at all')
  })
})
