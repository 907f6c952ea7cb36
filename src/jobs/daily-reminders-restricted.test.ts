import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../test/helpers/app.js'
import { caseTeam, type CaseTeam } from '../../test/helpers/casework.js'
import { allocateAs } from '../../test/helpers/triage.js'
import type { TestOrganisation, TestUser } from '../../test/helpers/factories.js'
import { sendDailyReminders } from './daily-reminders.js'

/** The start-of-day reminder counts a restricted case only for the people named on it (issue 4). */
describe('daily reminders and restricted cases', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let unnamedManager: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T09:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    unnamedManager = await app.factories.user(org, ['safeguarding_manager'], { name: 'Una Unnamed' })
    const { id } = await app.factories.concern(team.referrer)
    await allocateAs(app, team.manager, id, team.lead, team.second)
    await app.database.db.updateTable('concern').set({ restricted: true }).where('id', '=', id).execute()
    await app.database.db.insertInto('concern_access').values([team.lead, team.manager].map((u) => ({ organisation_id: org.id, concern_id: id, user_id: u.id, granted_by: team.manager.id, granted_at: app.clock.now() }))).execute()
    // Two working days later the concern is overdue.
    app.clock.set('2026-03-12T07:00:00Z')
  })
  after(() => app.stop())

  it('tells the Lead DSO and the named manager, and says nothing of it to a manager not named', async () => {
    await sendDailyReminders({ db: app.database.db, config: app.server.deps.config, logger: app.server.deps.logger, now: () => app.clock.now() } as Parameters<typeof sendDailyReminders>[0])
    const texts = async (u: TestUser) => (await app.database.db.selectFrom('notification').select('text').where('user_id', '=', u.id).where('kind', '=', 'daily_reminder').execute()).map((n) => n.text)
    assert.deepEqual(await texts(team.lead), ['Today: 1 overdue.'])
    assert.deepEqual(await texts(team.manager), ['Today: 1 overdue.'])
    assert.deepEqual(await texts(unnamedManager), [])
  })
})
