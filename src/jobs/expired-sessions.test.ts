import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../test/helpers/app.js'
import type { TestUser } from '../../test/helpers/factories.js'
import { createLogger } from '../logger.js'
import { expiredSessionsJob } from './expired-sessions.js'
import { kestrelJobs } from './registry.js'

describe('the expired-sessions job', () => {
  let app: TestApp
  let user: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T09:00:00Z' })
    user = await app.factories.user(await app.factories.organisation())
  })
  after(() => app.stop())

  const run = () => expiredSessionsJob.run({ db: app.database.db, config: app.server.deps.config, logger: createLogger('silent'), now: () => app.clock.now(), scheduledFor: app.clock.now() })
  const sessions = async () => (await app.database.db.selectFrom('http_session').select('sid').where('user_id', '=', user.id).execute()).length

  it('is one of the jobs the server runs', () => {
    assert.ok(kestrelJobs().some((j) => j.name === 'expired-sessions'))
  })

  it('keeps live sessions and recently ended ones, and removes those that ended over a day ago', async () => {
    const old = await app.signedIn(user)
    app.clock.advanceMinutes(20 * 60)
    await app.signedIn(user) // a second session, 20 hours later
    const failed = app.client()
    await failed.get('/sign-in')
    await failed.post('/sign-in', { email: user.email, password: 'wrong password' })
    assert.equal(await sessions(), 2)

    await run()
    assert.equal(await sessions(), 2, 'the old session ended under a day ago: kept so its owner is told why')

    app.clock.advanceMinutes(5 * 60)
    await run()
    assert.equal(await sessions(), 1, 'the old session is gone')
    assert.equal((await old.get('/')).location, '/sign-in')
    const failures = await app.database.db.selectFrom('sign_in_failure').select('id').execute()
    assert.deepEqual(failures, [], 'failures older than the throttle window are removed')
  })
})
