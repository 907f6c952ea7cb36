import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../test/helpers/app.js'
import { addTaskAs, caseTeam, openCase, type CaseTeam } from '../../../test/helpers/casework.js'
import { errorSummary, headingText, type Page, type TestClient } from '../../../test/helpers/client.js'
import { auditRowsAfter, countRows, lastAuditSeq } from '../../../test/helpers/records.js'
import { concernVersion } from '../../../test/helpers/triage.js'
import type { TestOrganisation } from '../../../test/helpers/factories.js'
import { markReadyForClosure } from '../../services/closure.js'

function section(page: Page, heading: string) {
  return page.$('h2').filter((_, el) => page.$(el).text().startsWith(heading)).nextUntil('h2').filter('table')
}

function rowFor(page: Page, heading: string, reference: string) {
  return section(page, heading).find('tr').filter((_, el) => page.$(el).text().includes(reference))
}

async function createMeeting(client: TestClient, date: { day: string; month: string; year: string }, attendeeIds: string[]) {
  const form = await client.get('/reviews/new')
  return client.post('/reviews/new', { 'date-day': date.day, 'date-month': date.month, 'date-year': date.year, attendeeIds, submissionKey: form.$('input[name="submissionKey"]').attr('value')! })
}

describe('weekly case review', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let firstCase: string
  let firstRef: string
  let meetingId: string

  before(async () => {
    // Tuesday 3 March 2026.
    app = await startTestApp({ now: '2026-03-03T09:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    firstCase = await openCase(app, team)
    firstRef = (await app.database.db.selectFrom('concern').select('reference').where('id', '=', firstCase).executeTakeFirstOrThrow()).reference
  })
  after(() => app.stop())

  it('refuses a meeting without a real date or attendees, saving nothing', async () => {
    const manager = await app.signedIn(team.manager)
    const before = await countRows(app.database.db, 'review_meeting')
    const noDate = await createMeeting(manager, { day: '', month: '', year: '' }, [team.manager.id])
    assert.equal(noDate.status, 400)
    assert.deepEqual(errorSummary(noDate), ['Enter the meeting date'])
    const nobody = await createMeeting(manager, { day: '3', month: '3', year: '2026' }, [])
    assert.deepEqual(errorSummary(nobody), ['Select who is attending the meeting'])
    const longAgo = await createMeeting(manager, { day: '3', month: '1', year: '2026' }, [team.manager.id])
    assert.deepEqual(errorSummary(longAgo), ['The meeting date must be within the last 7 days or in the future'])
    assert.equal(await countRows(app.database.db, 'review_meeting'), before)
  })

  it('creates the meeting once and builds its agenda: the new case gets its First Review', async () => {
    const manager = await app.signedIn(team.manager)
    const form = await manager.get('/reviews/new')
    const fields = { 'date-day': '3', 'date-month': '3', 'date-year': '2026', attendeeIds: [team.manager.id, team.lead.id, team.slo.id], submissionKey: form.$('input[name="submissionKey"]').attr('value')! }
    const created = await manager.post('/reviews/new', fields)
    assert.equal(created.status, 303)
    const again = await manager.post('/reviews/new', fields)
    assert.equal(again.location, created.location, 'a double submit leads to the same meeting')
    assert.equal(await countRows(app.database.db, 'review_meeting'), 1)
    meetingId = created.location!.split('/').pop()!
    const page = await manager.get(created.location!)
    assert.equal(headingText(page), '3 March 2026')
    assert.match(page.$('.govuk-summary-list').text(), /Lena Lead, Morgan Manager, Sally Senior/)
    assert.match(rowFor(page, 'First Reviews', firstRef).text(), /Not yet discussed/)
    assert.equal(section(page, 'Progress checks').length, 0)
  })

  it('lets DSOs read meetings but only managers create them or record outcomes', async () => {
    const dso = await app.signedIn(team.otherDso)
    assert.equal((await dso.get('/reviews')).status, 200)
    assert.equal((await dso.get(`/reviews/${meetingId}`)).status, 200)
    assert.equal((await dso.get('/reviews/new')).status, 403)
    const item = await app.database.db.selectFrom('review_item').select('id').where('meeting_id', '=', meetingId).executeTakeFirstOrThrow()
    assert.equal((await dso.get(`/reviews/${meetingId}/items/${item.id}`)).status, 403)
  })

  it('records the First Review; actions set become tasks, refusing a past due date first', async () => {
    const manager = await app.signedIn(team.manager)
    const item = await app.database.db.selectFrom('review_item').select('id').where('meeting_id', '=', meetingId).where('concern_id', '=', firstCase).executeTakeFirstOrThrow()
    const form = await manager.get(`/reviews/${meetingId}/items/${item.id}`)
    assert.equal(headingText(form), `First Review: ${firstRef}`)
    const base = { version: form.$('input[name="version"]').attr('value')!, outcome: 'actions_set', notes: 'Needs an ASC chase.', action1Key: form.$('input[name="action1Key"]').attr('value')!, action2Key: form.$('input[name="action2Key"]').attr('value')! }
    const before = await countRows(app.database.db, 'case_task')
    const past = await manager.post(`/reviews/${meetingId}/items/${item.id}`, { ...base, action1Title: 'Chase ASC', action1Assignee: team.lead.id, 'action1Due-day': '2', 'action1Due-month': '3', 'action1Due-year': '2026' })
    assert.equal(past.status, 400)
    assert.deepEqual(errorSummary(past), ['The due date of action 1 must be today or in the future'])
    assert.equal(await countRows(app.database.db, 'case_task'), before)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const saved = await manager.post(`/reviews/${meetingId}/items/${item.id}`, {
      ...base,
      action1Title: 'Chase ASC',
      action1Assignee: team.lead.id,
      'action1Due-day': '6',
      'action1Due-month': '3',
      'action1Due-year': '2026',
      action2Title: 'Ask the GP',
      action2Assignee: team.second.id,
      'action2Due-day': '10',
      'action2Due-month': '3',
      'action2Due-year': '2026',
    })
    assert.equal(saved.status, 303)
    const page = await manager.follow(saved)
    const row = rowFor(page, 'First Reviews', firstRef).text()
    assert.match(row, /Actions set: Needs an ASC chase\./)
    assert.match(row, /Chase ASC – Lena Lead, by 6 March 2026/)
    assert.match(row, /Ask the GP – Sid Second, by 10 March 2026/)
    const tasks = await app.database.db.selectFrom('case_task').select(['title', 'review_item_id']).where('concern_id', '=', firstCase).orderBy('title').execute()
    assert.deepEqual(tasks, [{ title: 'Ask the GP', review_item_id: item.id }, { title: 'Chase ASC', review_item_id: item.id }])
    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    assert.ok(rows.some((r) => r.action === 'review.record' && r.record_id === firstCase && r.details.outcome === 'actions_set'))
    const lead = await app.signedIn(team.lead)
    const reviews = await lead.get(`/concerns/${firstCase}/reviews`)
    assert.match(reviews.$('table').text(), /3 March 2026[\s\S]*First Review[\s\S]*Actions set[\s\S]*Needs an ASC chase/)
    const chronology = await lead.get(`/concerns/${firstCase}/chronology`)
    assert.match(chronology.text, /First Review at the weekly case review on 3 March 2026: Actions set\. 2 actions set\./)
  })

  it('gives the second of two people recording the same case the "changed since you opened it" page', async () => {
    const manager = await app.signedIn(team.manager)
    const item = await app.database.db.selectFrom('review_item').select(['id', 'version']).where('meeting_id', '=', meetingId).where('concern_id', '=', firstCase).executeTakeFirstOrThrow()
    await manager.get(`/reviews/${meetingId}/items/${item.id}`)
    const stale = await manager.post(`/reviews/${meetingId}/items/${item.id}`, { version: String(item.version - 1), outcome: 'agreed', notes: 'Overwrite?' })
    assert.equal(stale.status, 409)
    assert.equal(headingText(stale), 'This case changed since you opened it')
    const still = await app.database.db.selectFrom('review_item').select('outcome').where('id', '=', item.id).executeTakeFirstOrThrow()
    assert.equal(still.outcome, 'actions_set')
  })

  it('asks for notes to escalate, then tells the Senior Lead Officer', async () => {
    const caseId = await openCase(app, team)
    const manager = await app.signedIn(team.manager)
    await manager.get(`/reviews/${meetingId}`)
    const rebuilt = await manager.post(`/reviews/${meetingId}/rebuild`, { version: (await app.database.db.selectFrom('review_meeting').select('version').where('id', '=', meetingId).executeTakeFirstOrThrow()).version.toString() })
    assert.equal(rebuilt.status, 303, 'bringing the agenda up to date adds the case addressed since')
    const item = await app.database.db.selectFrom('review_item').select(['id', 'kind']).where('meeting_id', '=', meetingId).where('concern_id', '=', caseId).executeTakeFirstOrThrow()
    assert.equal(item.kind, 'first_review')
    const form = await manager.get(`/reviews/${meetingId}/items/${item.id}`)
    const noNotes = await manager.post(`/reviews/${meetingId}/items/${item.id}`, { version: form.$('input[name="version"]').attr('value')!, outcome: 'escalate', notes: '' })
    assert.deepEqual(errorSummary(noNotes), ['Enter why the case is being escalated'])
    const escalated = await manager.post(`/reviews/${meetingId}/items/${item.id}`, { version: form.$('input[name="version"]').attr('value')!, outcome: 'escalate', notes: 'Risk rising; police involvement needed.' })
    assert.equal(escalated.status, 303)
    const notice = await app.database.db.selectFrom('notification').select('text').where('user_id', '=', team.slo.id).where('kind', '=', 'case_review').executeTakeFirstOrThrow()
    assert.match(notice.text, /escalated to you at the weekly case review on 3 March 2026/)
    assert.doesNotMatch(notice.text, /police/i)
  })

  it('prints the agenda and minutes, auditing the print', async () => {
    const slo = await app.signedIn(team.slo)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const printed = await slo.get(`/reviews/${meetingId}/print`)
    assert.equal(printed.status, 200)
    assert.equal(headingText(printed), 'Minutes: weekly case review, 3 March 2026')
    assert.match(printed.text, /Printed by Sally Senior/)
    assert.match(printed.text, /Needs an ASC chase/)
    assert.equal(printed.$('a:contains("Record")').length, 0, 'no editing links on the printed page')
    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(rows.map((r) => r.action), ['review.print'])
  })

  it('at the next meeting: flags progress checks and gives a case marked ready its Final Review', async () => {
    // The week after: the first case has an overdue task; a third case has had nothing for 14 days.
    app.clock.set('2026-03-10T09:00:00Z')
    const manager = await app.signedIn(team.manager)
    await manager.get(`/reviews/${meetingId}`)
    assert.equal((await manager.post(`/reviews/${meetingId}/complete`, { version: (await app.database.db.selectFrom('review_meeting').select('version').where('id', '=', meetingId).executeTakeFirstOrThrow()).version.toString() })).status, 303)
    const ready = await openCase(app, team)
    await addTaskAs(app, team.lead, ready, { title: 'Done soon', assigneeId: team.lead.id, dueOn: '2026-03-10' })
    assert.equal((await markReadyForClosure(app.server.deps, app.factories.context(team.lead), ready, await concernVersion(app, ready))).kind, 'done')
    const created = await createMeeting(await app.signedIn(team.manager), { day: '10', month: '3', year: '2026' }, [team.manager.id])
    assert.equal(created.status, 303)
    const page = await manager.get(created.location!)
    assert.match(rowFor(page, 'Progress checks', firstRef).text(), /Task overdue/)
    const readyRef = (await app.database.db.selectFrom('concern').select('reference').where('id', '=', ready).executeTakeFirstOrThrow()).reference
    assert.equal(rowFor(page, 'Final Reviews', readyRef).length, 1)
    assert.equal(rowFor(page, 'First Reviews', readyRef).length, 0, 'the Final Review serves as its First Review')
    app.clock.set('2026-03-24T09:00:00Z')
    const later = await createMeeting(await app.signedIn(team.manager), { day: '24', month: '3', year: '2026' }, [team.manager.id])
    const laterPage = await (await app.signedIn(team.manager)).get(later.location!)
    assert.match(rowFor(laterPage, 'Progress checks', firstRef).text(), /Nothing for 14 days/)
  })

  it('refuses to change the minutes of a finished meeting', async () => {
    const manager = await app.signedIn(team.manager)
    const item = await app.database.db.selectFrom('review_item').select(['id', 'version']).where('meeting_id', '=', meetingId).where('concern_id', '=', firstCase).executeTakeFirstOrThrow()
    await manager.get(`/reviews/${meetingId}`)
    const refused = await manager.post(`/reviews/${meetingId}/items/${item.id}`, { version: String(item.version), outcome: 'agreed', notes: '' })
    assert.equal(refused.status, 409)
    assert.match(refused.text, /This meeting is finished/)
  })
})
