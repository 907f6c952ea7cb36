import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../test/helpers/app.js'
import type { TestUser } from '../../test/helpers/factories.js'
import { allocateAs, decideAs, putOnDuty } from '../../test/helpers/triage.js'
import { createLogger } from '../logger.js'
import { insertOnwardReferral } from '../repositories/onward-referral-repository.js'
import { newId } from '../ids.js'
import { dailyRemindersJob } from './daily-reminders.js'
import type { JobDefinition } from './job.js'
import { Scheduler } from './scheduler.js'

describe('the job scheduler and the daily reminder', () => {
  let app: TestApp
  let lead: TestUser
  let second: TestUser
  let duty: TestUser
  let manager: TestUser

  before(async () => {
    // Monday 9 March 2026, 10:00.
    app = await startTestApp({ now: '2026-03-09T10:00:00Z' })
    const org = await app.factories.organisation()
    const staff = await app.factories.user(org, [])
    lead = await app.factories.user(org, ['dso'], { name: 'Lena Lead' })
    second = await app.factories.user(org, ['dso'], { name: 'Sid Second' })
    duty = await app.factories.user(org, ['dso'], { name: 'Dot Duty' })
    manager = await app.factories.user(org, ['safeguarding_manager'], { name: 'Morgan Manager' })
    // Due end of Wednesday 11 March, allocated to Lena.
    const allocated = await app.factories.concern(staff)
    await allocateAs(app, manager, allocated.id, lead, second)
    // Received Thursday 5 March: overdue, not allocated.
    app.clock.set('2026-03-05T10:00:00Z')
    await app.factories.concern(staff)
    // Addressed with a referral whose follow-up date passes on 10 March.
    app.clock.set('2026-03-09T11:00:00Z')
    const referred = await app.factories.concern(staff)
    await allocateAs(app, manager, referred.id, lead, second)
    await decideAs(app, lead, referred.id)
    await insertOnwardReferral(app.database.db, { organisationId: org.id, id: newId(), concernId: referred.id, agency: 'Adult Social Care', agencyOther: null, madeAt: app.clock.now(), method: 'phone', contact: null, agencyReference: null, consent: 'given', consentReason: null, informationShared: null, followUpOn: '2026-03-10', createdBy: lead.id, createdAt: app.clock.now(), submissionKey: newId() })
    // Wednesday 11 March, 07:05: today's duty DSO is Dot.
    app.clock.set('2026-03-11T07:05:00Z')
    await putOnDuty(app, org.id, [duty])
  })
  after(() => app.stop())

  const schedulerFor = (jobs: JobDefinition[]) => new Scheduler({ db: app.database.db, config: app.server.deps.config, logger: createLogger('silent'), clock: app.clock }, jobs)

  it('sends the reminder exactly once when two scheduler instances run against one database', async () => {
    const a = schedulerFor([dailyRemindersJob])
    const b = schedulerFor([dailyRemindersJob])
    await Promise.all([a.register(), b.register()])
    // Both instances poll at the same moment, several times.
    const ran: string[][] = []
    for (let i = 0; i < 3; i++) ran.push(...(await Promise.all([a.tick(), b.tick()])))
    assert.equal(ran.flat().filter((n) => n === 'daily-reminders').length, 1, 'one instance ran the job, once')

    const reminders = await app.database.db.selectFrom('email_outbox').select(['to_address', 'body']).where('kind', '=', 'daily_reminder').execute()
    const byRecipient = new Map(reminders.map((r) => [r.to_address, r.body]))
    assert.equal(reminders.length, byRecipient.size, 'nobody got two')
    assert.deepEqual([...byRecipient.keys()].sort(), [lead.email, duty.email, manager.email].sort())
    assert.match(byRecipient.get(lead.email)!, /1 due today/)
    assert.match(byRecipient.get(lead.email)!, /1 referral outcome overdue for follow-up/)
    assert.match(byRecipient.get(duty.email)!, /1 overdue/)
    assert.match(byRecipient.get(manager.email)!, /1 overdue[\s\S]*1 due today[\s\S]*1 referral outcome overdue/)
    const notifications = await app.database.db.selectFrom('notification').select('user_id').where('kind', '=', 'daily_reminder').execute()
    assert.equal(notifications.length, 3)
    const job = await app.database.db.selectFrom('scheduled_job').selectAll().where('name', '=', 'daily-reminders').executeTakeFirstOrThrow()
    assert.equal(job.run_count, 1)
    assert.equal(job.last_outcome, 'success')
    assert.equal(job.next_run_at.toISOString(), '2026-03-12T07:00:00.000Z')
    assert.equal(job.lease_owner, null)

    // The next morning it runs again, once.
    app.clock.set('2026-03-12T07:01:00Z')
    await Promise.all([a.tick(), b.tick()])
    await Promise.all([a.tick(), b.tick()])
    const day2 = await app.database.db.selectFrom('scheduled_job').select('run_count').where('name', '=', 'daily-reminders').executeTakeFirstOrThrow()
    assert.equal(day2.run_count, 2)
  })

  it('a failed run is retried later and an instance that died lets its lease lapse', async () => {
    let calls = 0
    const flaky: JobDefinition = {
      name: 'flaky-test-job',
      schedule: { kind: 'every', seconds: 3600 },
      async run() {
        calls++
        if (calls === 1) throw new Error('boom')
      },
    }
    const s = schedulerFor([flaky])
    await s.tick()
    let row = await app.database.db.selectFrom('scheduled_job').selectAll().where('name', '=', 'flaky-test-job').executeTakeFirstOrThrow()
    assert.equal(row.last_outcome, 'failure')
    assert.equal(row.last_error, 'boom')
    app.clock.advanceMinutes(6)
    await s.tick()
    row = await app.database.db.selectFrom('scheduled_job').selectAll().where('name', '=', 'flaky-test-job').executeTakeFirstOrThrow()
    assert.equal(row.last_outcome, 'success')
    assert.equal(calls, 2)

    // Another instance holds a lease and dies: nobody runs the job until the lease lapses.
    await app.database.db.updateTable('scheduled_job').set({ next_run_at: app.clock.now(), lease_owner: 'dead-instance', lease_expires_at: new Date(app.clock.now().getTime() + 60_000) }).where('name', '=', 'flaky-test-job').execute()
    assert.deepEqual(await s.tick(), [])
    app.clock.advanceMinutes(2)
    assert.deepEqual(await s.tick(), ['flaky-test-job'])
  })
})
