import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { caseTeam, openCase, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary } from '../../../../test/helpers/client.js'
import { auditRowsAfter, countRows, lastAuditSeq } from '../../../../test/helpers/records.js'
import type { TestOrganisation } from '../../../../test/helpers/factories.js'

describe('case record: chronology', () => {
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

  it('shows every transition as an MOJ timeline entry, newest first', async () => {
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${caseId}/chronology`)
    const titles = page.$('.moj-timeline__item .moj-timeline__title').map((_, el) => page.$(el).text().replace(/\s+/g, ' ').trim()).get()
    assert.equal(titles.at(-1), 'Concern received Significant')
    assert.ok(titles.some((t) => t.startsWith('Allocated')))
    assert.ok(titles.some((t) => t.startsWith('Initial decision')))
  })

  it('adds a manual entry with a date, category and significant flag', async () => {
    const lead = await app.signedIn(team.lead)
    const form = await lead.get(`/concerns/${caseId}/chronology/new`)
    const sent = await lead.post(`/concerns/${caseId}/chronology/new`, {
      'occurredOn-day': '9',
      'occurredOn-month': '3',
      'occurredOn-year': '2026',
      category: 'Home visit',
      summary: 'Visited with ASC. Fridge empty.',
      significant: 'yes',
      submissionKey: form.$('input[name="submissionKey"]').attr('value')!,
    })
    assert.equal(sent.status, 303)
    const page = await lead.follow(sent)
    const item = page.$('.moj-timeline__item').filter((_, el) => page.$(el).text().includes('Fridge empty'))
    assert.match(item.find('.moj-timeline__title').text(), /Home visit[\s\S]*Significant/)
    assert.match(item.find('.moj-timeline__date').text(), /9 March 2026/)
    assert.match(item.find('.moj-timeline__byline').text(), /Lena Lead/)
  })

  it('filters to significant events', async () => {
    const lead = await app.signedIn(team.lead)
    const all = await lead.get(`/concerns/${caseId}/chronology`)
    const significant = await lead.get(`/concerns/${caseId}/chronology?show=significant`)
    assert.ok(significant.$('.moj-timeline__item').length < all.$('.moj-timeline__item').length)
    assert.equal(significant.$('.moj-timeline__item').length, significant.$('.moj-timeline__title:contains("Significant")').length)
  })

  it('refuses a future date or a missing category, saving nothing', async () => {
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${caseId}/chronology/new`)
    const before = await countRows(app.database.db, 'chronology_entry')
    const bad = await lead.post(`/concerns/${caseId}/chronology/new`, { 'occurredOn-day': '11', 'occurredOn-month': '3', 'occurredOn-year': '2026', category: '', summary: 'Tomorrow' })
    assert.equal(bad.status, 400)
    assert.deepEqual(errorSummary(bad), ['The date must be today or in the past', 'Select a category'])
    assert.equal(await countRows(app.database.db, 'chronology_entry'), before)
  })

  it('corrects a manual entry with a new entry pointing at it', async () => {
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${caseId}/chronology`)
    const href = page.$('.moj-timeline__item').filter((_, el) => page.$(el).text().includes('Fridge empty')).find('a:contains("Correct this entry")').attr('href')!
    const form = await lead.get(href)
    assert.equal(form.$('#summary').text(), 'Visited with ASC. Fridge empty.', 'the form starts from the original')
    const sent = await lead.post(href, { 'occurredOn-day': '9', 'occurredOn-month': '3', 'occurredOn-year': '2026', category: 'Home visit', summary: 'Visited with ASC. Fridge nearly empty.', significant: 'yes', submissionKey: form.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(sent.status, 303)
    const after = await lead.follow(sent)
    const text = after.$('.moj-timeline').text()
    assert.match(text, /Fridge nearly empty/)
    assert.match(text, /Visited with ASC\. Fridge empty\./)
    assert.match(text, /Corrected on 10 March 2026/)
  })

  it('prints the chronology, oldest first, auditing the print', async () => {
    const auditor = await app.signedIn(team.auditor)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const printed = await auditor.get(`/concerns/${caseId}/chronology/print`)
    assert.equal(printed.status, 200)
    assert.match(printed.$('h1').text(), /Chronology: Person \d+, SG-2026-\d{5}/)
    const events = printed.$('tbody tr').map((_, el) => printed.$(el).find('strong').text()).get()
    assert.deepEqual(events.slice(0, 3), ['Home visit', 'Home visit', 'Concern received'], 'oldest first: what happened on 9 March comes before the concern arrived')
    assert.ok(events.indexOf('Initial decision') > events.indexOf('Allocated'))
    assert.match(printed.text, /Printed by Aubrey Auditor/)
    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(rows.map((r) => [r.action, r.record_id]), [['concern.print', caseId]])
  })
})
