import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { addNoteAs, addTaskAs, agreeFinalReview, caseTeam, openCase, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary, headingText } from '../../../../test/helpers/client.js'
import { countRows } from '../../../../test/helpers/records.js'
import type { TestOrganisation } from '../../../../test/helpers/factories.js'
import { minimalPdf } from '../../../../test/helpers/sample-files.js'
import { uploadFile } from '../../../../test/helpers/upload.js'
import { completeTask } from '../../../services/case-tasks.js'

const ADULT_ANSWERS = { sacOutcome: 'risk_identified_action_taken', riskOutcome: 'risk_reduced', mspAsked: 'asked_expressed', mspAchieved: 'partially' }

describe('closure: Final Review, request, Senior Lead Officer decision, read-only, reopening', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let caseId: string

  async function status(id = caseId) {
    return (await app.database.db.selectFrom('concern').select(['status', 'version', 'reopened_count', 'ready_for_closure_at']).where('id', '=', id).executeTakeFirstOrThrow())
  }

  before(async () => {
    // Tuesday 3 March 2026.
    app = await startTestApp({ now: '2026-03-03T09:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    caseId = await openCase(app, team)
  })
  after(() => app.stop())

  it('refuses a closure request on a case without a Final Review, with a clear message, changing nothing', async () => {
    const lead = await app.signedIn(team.lead)
    const form = await lead.get(`/concerns/${caseId}/closure-request`)
    assert.match(form.$('#closure-readiness').text(), /has not had its Final Review/)
    const before = await status()
    const sent = await lead.post(`/concerns/${caseId}/closure-request`, { closingSummary: 'All done.', ...ADULT_ANSWERS, version: form.$('input[name="version"]').attr('value')!, submissionKey: form.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(sent.status, 400)
    assert.match(errorSummary(sent)[0]!, /This case has not had its Final Review/)
    assert.deepEqual(await status(), before)
    assert.equal(await countRows(app.database.db, 'closure_request'), 0)
  })

  it('lets only the Lead DSO mark the case ready for closure', async () => {
    const second = await app.signedIn(team.second)
    await second.get(`/concerns/${caseId}/reviews`)
    const refused = await second.post(`/concerns/${caseId}/ready-for-closure`, { version: String((await status()).version) })
    assert.equal(refused.status, 409)
    assert.match(refused.text, /Only the Lead DSO can mark the case ready for closure/)
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${caseId}/reviews`)
    const marked = await lead.post(`/concerns/${caseId}/ready-for-closure`, { version: page.$(`form[action="/concerns/${caseId}/ready-for-closure"] input[name="version"]`).attr('value')! })
    assert.equal(marked.status, 303)
    const after = await lead.follow(marked)
    assert.match(after.text, /Its Final Review will be at the next weekly case review/)
  })

  it('after the Final Review: asks an adult case for the SAC and Making Safeguarding Personal answers, and for open tasks to be done', async () => {
    const task = await addTaskAs(app, team.lead, caseId, { title: 'Last visit', assigneeId: team.lead.id, dueOn: '2026-03-03' })
    await agreeFinalReview(app, team, caseId, '2026-03-03', { alreadyReady: true })
    const lead = await app.signedIn(team.lead)
    const form = await lead.get(`/concerns/${caseId}/closure-request`)
    const fields = { version: form.$('input[name="version"]').attr('value')!, submissionKey: form.$('input[name="submissionKey"]').attr('value')! }
    const missing = await lead.post(`/concerns/${caseId}/closure-request`, { ...fields, closingSummary: '' })
    assert.equal(missing.status, 400)
    assert.deepEqual(errorSummary(missing), [
      'Complete the open task before requesting closure.',
      'Enter a closing summary',
      'Select the outcome of the enquiry',
      'Select whether the person was asked what outcomes they wanted',
    ])
    const version = (await app.database.db.selectFrom('case_task').select('version').where('id', '=', task).executeTakeFirstOrThrow()).version
    assert.equal((await completeTask(app.server.deps, app.factories.context(team.lead), caseId, task, version, null)).kind, 'done')
    const noAchieved = await lead.post(`/concerns/${caseId}/closure-request`, { ...fields, closingSummary: 'Care package in place.', ...ADULT_ANSWERS, mspAchieved: '' })
    assert.deepEqual(errorSummary(noAchieved), ['Select whether the outcomes they wanted were achieved'])
    assert.equal((await status()).status, 'open')
  })

  it('requests closure; the Senior Lead Officer is told and sees it in the queue', async () => {
    const lead = await app.signedIn(team.lead)
    const form = await lead.get(`/concerns/${caseId}/closure-request`)
    const sent = await lead.post(`/concerns/${caseId}/closure-request`, { closingSummary: 'Care package in place.\nShe is safe.', ...ADULT_ANSWERS, version: form.$('input[name="version"]').attr('value')!, submissionKey: form.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(sent.status, 303)
    assert.equal((await status()).status, 'closure_requested')
    const stored = await app.database.db.selectFrom('concern').select(['closing_summary', 'sac_outcome', 'risk_outcome', 'msp_asked', 'msp_achieved']).where('id', '=', caseId).executeTakeFirstOrThrow()
    assert.deepEqual(stored, { closing_summary: 'Care package in place.\nShe is safe.', sac_outcome: 'risk_identified_action_taken', risk_outcome: 'risk_reduced', msp_asked: 'asked_expressed', msp_achieved: 'partially' })
    const notice = await app.database.db.selectFrom('notification').select('text').where('user_id', '=', team.slo.id).where('kind', '=', 'closure').executeTakeFirstOrThrow()
    assert.match(notice.text, /Lena Lead asked for case SG-2026-\d{5} to be closed/)
    const slo = await app.signedIn(team.slo)
    const queue = await slo.get('/closures')
    assert.equal(queue.$('tbody tr').length, 1)
    assert.match(queue.$('tbody tr').text(), /Lena Lead/)
  })

  it('does not let a Senior Lead Officer who worked on the case decide its closure', async () => {
    const conflicted = await app.factories.user(org, ['senior_lead_officer', 'dso'], { name: 'Connie Conflicted' })
    await addNoteAs(app, conflicted, caseId, 'I helped with the home visit.')
    const client = await app.signedIn(conflicted)
    const page = await client.get(`/concerns/${caseId}/closure`)
    assert.match(page.$('.govuk-inset-text').text(), /You worked on this case, so you cannot decide its closure/)
    assert.equal(page.$('input[name="decision"]').length, 0)
    const refused = await client.post(`/concerns/${caseId}/closure`, { decision: 'approve', comments: '', version: String((await status()).version) })
    assert.equal(refused.status, 409)
    assert.equal((await status()).status, 'closure_requested')
  })

  it('returns the request with comments (required), sending the case back to the Lead DSO', async () => {
    const slo = await app.signedIn(team.slo)
    const page = await slo.get(`/concerns/${caseId}/closure`)
    assert.match(page.text, /Care package in place\./)
    assert.match(page.text, /Risk identified and action taken/)
    const version = page.$('input[name="version"]').attr('value')!
    const noComments = await slo.post(`/concerns/${caseId}/closure`, { decision: 'return', comments: '', version })
    assert.equal(noComments.status, 400)
    assert.deepEqual(errorSummary(noComments), ['Enter what the Lead DSO needs to do before the case can be closed'])
    const returned = await slo.post(`/concerns/${caseId}/closure`, { decision: 'return', comments: 'Record the GP’s view first.', version })
    assert.equal(returned.status, 303)
    assert.equal((await status()).status, 'open')
    const lead = await app.signedIn(team.lead)
    const reviews = await lead.get(`/concerns/${caseId}/reviews`)
    assert.match(reviews.text, /Returned on[\s\S]*Record the GP’s view first\./)
  })

  it('approves a second request: the case is closed and read-only everywhere; the referrer sees "Closed"', async () => {
    const lead = await app.signedIn(team.lead)
    const form = await lead.get(`/concerns/${caseId}/closure-request`)
    assert.equal(form.$('#closure-readiness').length, 0, 'the Final Review still stands after a return')
    await lead.post(`/concerns/${caseId}/closure-request`, { closingSummary: 'GP agrees. Care package in place.', ...ADULT_ANSWERS, version: form.$('input[name="version"]').attr('value')!, submissionKey: form.$('input[name="submissionKey"]').attr('value')! })
    const slo = await app.signedIn(team.slo)
    const page = await slo.get(`/concerns/${caseId}/closure`)
    const approved = await slo.post(`/concerns/${caseId}/closure`, { decision: 'approve', comments: '', version: page.$('input[name="version"]').attr('value')! })
    assert.equal(approved.status, 303)
    assert.equal((await status()).status, 'closed')

    const counts = async () => [await countRows(app.database.db, 'case_note'), await countRows(app.database.db, 'case_task'), await countRows(app.database.db, 'case_document'), await countRows(app.database.db, 'chronology_entry'), await countRows(app.database.db, 'concern_person')]
    const before = await counts()
    const notes = await lead.get(`/concerns/${caseId}/notes`)
    assert.equal(notes.$('textarea[name="body"]').length, 0, 'no note form on a closed case')
    assert.match((await lead.post(`/concerns/${caseId}/notes`, { body: 'Late note' })).text, /This case is closed, so it is read-only/)
    assert.equal((await lead.post(`/concerns/${caseId}/tasks/new`, { title: 'Late', assigneeId: team.lead.id, 'dueOn-day': '20', 'dueOn-month': '3', 'dueOn-year': '2026' })).status, 409)
    assert.equal((await lead.post(`/concerns/${caseId}/chronology/new`, { 'occurredOn-day': '3', 'occurredOn-month': '3', 'occurredOn-year': '2026', category: 'Other', summary: 'Late' })).status, 409)
    assert.equal((await lead.post(`/concerns/${caseId}/people/new`, { fromReferral: 'yes' })).status, 409)
    await lead.get(`/concerns/${caseId}/documents`)
    assert.equal((await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'late.pdf', bytes: minimalPdf() })).status, 409)
    assert.deepEqual(await counts(), before)
    assert.equal((await lead.get(`/concerns/${caseId}/tasks/new`)).$('h1').text(), 'You cannot add a task')

    const referrer = await app.signedIn(team.referrer)
    const own = await referrer.get(`/my-concerns/${caseId}`)
    assert.match(own.$('.govuk-summary-list').text(), /Closed/)
    const notices = await app.database.db.selectFrom('notification').select('text').where('user_id', '=', team.referrer.id).where('kind', '=', 'referrer_update').execute()
    assert.ok(notices.some((n) => /Your concern SG-2026-\d{5} is now closed\./.test(n.text)), 'the referrer is told it is closed')
  })

  it('lets a manager reopen it with a reason; it needs a new Final Review before closing again', async () => {
    const manager = await app.signedIn(team.manager)
    const form = await manager.get(`/concerns/${caseId}/reopen`)
    assert.equal(headingText(form), 'Reopen this case')
    const noReason = await manager.post(`/concerns/${caseId}/reopen`, { reason: '', version: form.$('input[name="version"]').attr('value')! })
    assert.deepEqual(errorSummary(noReason), ['Enter why the case is being reopened'])
    const reopened = await manager.post(`/concerns/${caseId}/reopen`, { reason: 'New information from the police.', version: form.$('input[name="version"]').attr('value')! })
    assert.equal(reopened.status, 303)
    const after = await status()
    assert.equal(after.status, 'open')
    assert.equal(after.reopened_count, 1)
    assert.equal(after.ready_for_closure_at, null)
    const lead = await app.signedIn(team.lead)
    const request = await lead.get(`/concerns/${caseId}/closure-request`)
    assert.match(request.$('#closure-readiness').text(), /has not had its Final Review/)
    const chronology = await lead.get(`/concerns/${caseId}/chronology`)
    assert.match(chronology.text, /Reopened[\s\S]*New information from the police\./)
  })

  it('gives the second of two people deciding at once the "changed since you opened it" page', async () => {
    const other = await openCase(app, team, { atRisk: 'child', personDateOfBirth: '2015-01-01', concernTypes: ['child:Neglect'] })
    await agreeFinalReview(app, team, other, '2026-03-10')
    const lead = await app.signedIn(team.lead)
    const form = await lead.get(`/concerns/${other}/closure-request`)
    assert.equal(form.$('input[name="sacOutcome"]').length, 0, 'a child case is not asked the adult questions')
    assert.equal((await lead.post(`/concerns/${other}/closure-request`, { closingSummary: 'Early help in place.', version: form.$('input[name="version"]').attr('value')!, submissionKey: form.$('input[name="submissionKey"]').attr('value')! })).status, 303)
    const second = await app.factories.user(org, ['senior_lead_officer'], { name: 'Sam Second Senior' })
    const a = await app.signedIn(team.slo)
    const b = await app.signedIn(second)
    const pageA = await a.get(`/concerns/${other}/closure`)
    const pageB = await b.get(`/concerns/${other}/closure`)
    assert.equal((await a.post(`/concerns/${other}/closure`, { decision: 'approve', comments: '', version: pageA.$('input[name="version"]').attr('value')! })).status, 303)
    const late = await b.post(`/concerns/${other}/closure`, { decision: 'return', comments: 'Not yet', version: pageB.$('input[name="version"]').attr('value')! })
    assert.equal(late.status, 409)
    assert.equal(headingText(late), 'This case changed since you opened it')
    assert.equal((await status(other)).status, 'closed')
  })
})
