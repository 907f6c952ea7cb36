import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { addTaskAs, caseTeam, openCase, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary, headingText } from '../../../../test/helpers/client.js'
import { countRows } from '../../../../test/helpers/records.js'
import type { TestOrganisation } from '../../../../test/helpers/factories.js'

describe('case record: tasks', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let caseId: string

  before(async () => {
    // Tuesday 10 March 2026.
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    caseId = await openCase(app, team)
  })
  after(() => app.stop())

  it('adds a task with an assignee and a due date, and tells the assignee', async () => {
    const lead = await app.signedIn(team.lead)
    const form = await lead.get(`/concerns/${caseId}/tasks/new`)
    assert.equal(headingText(form), 'Add a task')
    const sent = await lead.post(`/concerns/${caseId}/tasks/new`, {
      title: 'Chase ASC outcome',
      details: '',
      assigneeId: team.second.id,
      'dueOn-day': '13',
      'dueOn-month': '3',
      'dueOn-year': '2026',
      submissionKey: form.$('input[name="submissionKey"]').attr('value')!,
    })
    assert.equal(sent.status, 303)
    const page = await lead.follow(sent)
    const row = page.$('tr').filter((_, el) => page.$(el).text().includes('Chase ASC outcome'))
    assert.match(row.text(), /Sid Second/)
    assert.match(row.text(), /13 March 2026/)
    assert.doesNotMatch(row.text(), /Overdue/)
    const notice = await app.database.db.selectFrom('notification').select(['text', 'href']).where('user_id', '=', team.second.id).where('kind', '=', 'case_task').executeTakeFirstOrThrow()
    assert.match(notice.text, /new task on case SG-2026-\d{5}, due 13 March 2026/)
    assert.doesNotMatch(notice.text, /ASC/, 'the notification does not carry the task’s words')
  })

  it('refuses a task due in the past, without a title or assignee, saving nothing', async () => {
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${caseId}/tasks/new`)
    const before = await countRows(app.database.db, 'case_task')
    const past = await lead.post(`/concerns/${caseId}/tasks/new`, { title: 'Late already', assigneeId: team.lead.id, 'dueOn-day': '9', 'dueOn-month': '3', 'dueOn-year': '2026' })
    assert.equal(past.status, 400)
    assert.deepEqual(errorSummary(past), ['The due date must be today or in the future'])
    assert.equal(past.$('#title').attr('value'), 'Late already')
    const empty = await lead.post(`/concerns/${caseId}/tasks/new`, { title: '', assigneeId: '', 'dueOn-day': '', 'dueOn-month': '', 'dueOn-year': '' })
    assert.deepEqual(errorSummary(empty), ['Enter what needs to be done', 'Select who will do the task', 'Enter the due date'])
    const stranger = await lead.post(`/concerns/${caseId}/tasks/new`, { title: 'To someone not on the team', assigneeId: team.referrer.id, 'dueOn-day': '20', 'dueOn-month': '3', 'dueOn-year': '2026' })
    assert.deepEqual(errorSummary(stranger), ['Select who will do the task'])
    assert.equal(await countRows(app.database.db, 'case_task'), before)
  })

  it('flags overdue tasks on the case and on the assignee’s home page', async () => {
    await addTaskAs(app, team.lead, caseId, { title: 'Call the GP', assigneeId: team.lead.id, dueOn: '2026-03-11' })
    app.clock.set('2026-03-12T09:00:00Z')
    const lead = await app.signedIn(team.lead)
    const tasks = await lead.get(`/concerns/${caseId}/tasks`)
    const row = tasks.$('tr').filter((_, el) => tasks.$(el).text().includes('Call the GP'))
    assert.match(row.text(), /Overdue/)
    assert.match(tasks.$('.govuk-warning-text').text(), /1 task is overdue/)
    const home = await lead.get('/')
    const panel = home.$('#my-tasks').next('.govuk-warning-text').text() + home.$('#my-tasks ~ table').first().text()
    assert.match(panel, /Call the GP/)
    assert.match(panel, /Overdue/)
    assert.doesNotMatch(panel, /Chase ASC outcome/, 'someone else’s task is not on my home page')
    const second = await app.signedIn(team.second)
    const secondHome = await second.get('/')
    assert.match(secondHome.$('#my-tasks ~ table').first().text(), /Chase ASC outcome/)
  })

  it('marks a task done; a stale form gets the "changed since you opened it" page', async () => {
    const second = await app.signedIn(team.second)
    const lead = await app.signedIn(team.lead)
    const page = await second.get(`/concerns/${caseId}/tasks`)
    await lead.get(`/concerns/${caseId}/tasks`)
    const form = page.$('tr').filter((_, el) => page.$(el).text().includes('Chase ASC outcome')).find('form')
    const action = form.attr('action')!
    const version = form.find('input[name="version"]').attr('value')!
    const done = await second.post(action, { version })
    assert.equal(done.status, 303)
    const conflict = await lead.post(action, { version })
    assert.equal(conflict.status, 409)
    assert.equal(headingText(conflict), 'This case changed since you opened it')
    const after = await second.get(`/concerns/${caseId}/tasks`)
    assert.match(after.$('h2:contains("Done") + table').text(), /Chase ASC outcome[\s\S]*Sid Second/)
  })

  it('does not let a DSO who is not the assignee or Lead mark someone else’s task done', async () => {
    const other = await app.signedIn(team.otherDso)
    const page = await other.get(`/concerns/${caseId}/tasks`)
    const row = page.$('tr').filter((_, el) => page.$(el).text().includes('Call the GP'))
    assert.equal(row.find('form').length, 0)
    const task = await app.database.db.selectFrom('case_task').select(['id', 'version']).where('title', '=', 'Call the GP').executeTakeFirstOrThrow()
    const refused = await other.post(`/concerns/${caseId}/tasks/${task.id}/complete`, { version: String(task.version) })
    assert.equal(refused.status, 409)
    assert.match(refused.text, /Only the person the task is assigned to/)
    const still = await app.database.db.selectFrom('case_task').select('completed_at').where('id', '=', task.id).executeTakeFirstOrThrow()
    assert.equal(still.completed_at, null)
  })
})
