import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ExecutedStatements } from '../../../test/helpers/executed-statements.js'
import { startTestApp, type TestApp } from '../../../test/helpers/app.js'
import { addNoteAs, addTaskAs, caseTeam, deps, openCase, type CaseTeam } from '../../../test/helpers/casework.js'
import type { TestClient } from '../../../test/helpers/client.js'
import { minimalPdf } from '../../../test/helpers/sample-files.js'
import { uploadFile } from '../../../test/helpers/upload.js'
import type { TestOrganisation } from '../../../test/helpers/factories.js'
import { newId } from '../../ids.js'
import { addPersonToCase } from '../../services/case-people.js'
import { createMeeting } from '../../services/case-review.js'

/**
 * List pages make the same number of SQL statements whatever the number of rows (no query per
 * row). A Kysely plugin counts every statement the app sends while one page is answered.
 */
describe('list pages: one query per list, whatever the number of rows', () => {
  const counting = new ExecutedStatements()
  counting.on = false
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let caseId: string
  let manager: TestClient

  async function statements(client: TestClient, path: string): Promise<number> {
    counting.reset()
    counting.on = true
    const page = await client.get(path)
    counting.on = false
    assert.equal(page.status, 200, path)
    return counting.count
  }

  async function addRows(round: number) {
    for (let i = 0; i < 4; i++) {
      await addNoteAs(app, team.lead, caseId, `Note ${round}.${i}`)
      await addTaskAs(app, team.lead, caseId, { title: `Task ${round}.${i}`, assigneeId: i % 2 ? team.lead.id : team.manager.id, dueOn: '2026-03-20' })
      await addPersonToCase(deps(app), app.factories.context(team.lead), caseId, { role: 'household', person: { name: `Household ${round}.${i}`, otherNames: null, dateOfBirth: null, ageYears: 30 + i, address: null, postcode: null } })
      const other = await openCase(app, team)
      await addNoteAs(app, team.lead, other, 'Another case')
    }
    const lead = await app.signedIn(team.lead)
    for (let i = 0; i < 2; i++) {
      await lead.get(`/concerns/${caseId}/documents`)
      await uploadFile(lead, `/concerns/${caseId}/documents`, { name: `doc ${round}.${i}.pdf`, bytes: minimalPdf() })
    }
  }

  const PAGES = (meetingId: () => string) => [
    () => '/cases?status=all',
    () => `/concerns/${caseId}/notes`,
    () => `/concerns/${caseId}/tasks`,
    () => `/concerns/${caseId}/documents`,
    () => `/concerns/${caseId}/chronology`,
    () => `/concerns/${caseId}/people`,
    () => `/concerns/${caseId}/reviews`,
    () => `/reviews/${meetingId()}`,
    () => '/reviews',
    () => '/',
  ]

  let meetings: string[] = []

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T09:00:00Z', plugins: [counting] })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    caseId = await openCase(app, team)
  })
  after(() => app.stop())

  it('counts the same statements with few rows and with many', async () => {
    await addRows(1)
    const first = await createMeeting(deps(app), app.factories.context(team.manager), { meetingDate: '2026-03-10', attendeeIds: [team.manager.id], submissionKey: newId() })
    meetings = [first.kind === 'done' ? first.id! : '']
    manager = await app.signedIn(team.manager)
    const few: number[] = []
    for (const path of PAGES(() => meetings[0]!)) few.push(await statements(manager, path()))

    await addRows(2)
    await addRows(3)
    app.clock.advance(7 * 86_400_000)
    const second = await createMeeting(deps(app), app.factories.context(team.manager), { meetingDate: '2026-03-17', attendeeIds: [team.manager.id, team.lead.id], submissionKey: newId() })
    meetings = [second.kind === 'done' ? second.id! : '']
    manager = await app.signedIn(team.manager)
    const many: number[] = []
    for (const path of PAGES(() => meetings[0]!)) many.push(await statements(manager, path()))

    const rows = await app.database.db.selectFrom('review_item').select((eb) => eb.fn.countAll<number>().as('n')).where('meeting_id', '=', meetings[0]!).executeTakeFirstOrThrow()
    assert.ok(Number(rows.n) >= 13, 'the second agenda is much longer than the first')
    assert.ok(few.every((n) => n >= 3), `every page was counted: ${few.join(', ')}`)
    const labels = PAGES(() => 'meeting').map((p) => p())
    assert.deepEqual(Object.fromEntries(labels.map((l, i) => [l, many[i]])), Object.fromEntries(labels.map((l, i) => [l, few[i]])))
  })
})
