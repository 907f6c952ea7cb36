import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type session from 'express-session'
import { TestClock } from '../../test/helpers/clock.js'
import { createTestDatabase, engineName, type TestDatabase } from '../../test/helpers/database.js'
import { deleteSession } from '../repositories/session-repository.js'
import { DatabaseSessionStore } from './session-store.js'

const MINUTE = 60_000

describe(`the session store (${engineName})`, () => {
  let database: TestDatabase
  let store: DatabaseSessionStore
  const clock = new TestClock('2026-03-09T10:00:00Z')

  before(async () => {
    database = await createTestDatabase()
    store = new DatabaseSessionStore(database, clock, 15 * MINUTE, 12 * 60 * MINUTE)
  })
  after(() => database.close())

  const set = (sid: string, data: session.SessionData) => new Promise<void>((resolve, reject) => store.set(sid, data, (e) => (e ? reject(e) : resolve())))
  const get = (sid: string) => new Promise<session.SessionData | null>((resolve, reject) => store.get(sid, (e, v) => (e ? reject(e) : resolve(v))))
  const signedIn = (): session.SessionData => ({ cookie: { originalMaxAge: null } as session.Cookie, userId: 'a5b7c9d1-0000-4000-8000-000000000001', organisationId: 'a5b7c9d1-0000-4000-8000-000000000002', createdAt: clock.now().getTime(), lastSeenAt: clock.now().getTime() }) as session.SessionData

  it('inserts a new session and saves changes to it', async () => {
    await set('sid-new', signedIn())
    const loaded = await get('sid-new')
    assert.ok(loaded)
    loaded.flash = { text: 'Saved.' }
    await set('sid-new', loaded)
    assert.deepEqual((await get('sid-new'))?.flash, { text: 'Saved.' })
  })

  it('does not bring back a session ended while one of its requests was still running', async () => {
    await set('sid-ended', signedIn())
    // A request loads the session …
    const inFlight = await get('sid-ended')
    assert.ok(inFlight)
    // … meanwhile the person signs out of it from another device (or an administrator resets them) …
    await deleteSession(database.db, 'sid-ended')
    // … and the request then saves its change (the last-used time moved).
    inFlight.lastSeenAt = clock.now().getTime() + MINUTE
    await set('sid-ended', inFlight)
    assert.equal(await get('sid-ended'), null, 'the ended session stays ended')
    const rows = await database.db.selectFrom('http_session').select('sid').where('sid', '=', 'sid-ended').execute()
    assert.deepEqual(rows, [])
  })
})
