import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../test/helpers/app.js'

/** What /ready reports when the app is not ready (health.test.ts covers the healthy answers). */
describe('readiness when not ready', () => {
  let app: TestApp

  before(async () => {
    app = await startTestApp()
  })
  after(() => app.stop())

  async function probe(path: string) {
    const response = await fetch(new URL(path, app.url))
    return { status: response.status, body: (await response.json()) as Record<string, string>, headers: response.headers }
  }

  it('is not ready while a migration this build knows has not been applied, and says no more than that', async () => {
    const row = await sql<{ name: string; timestamp: string }>`SELECT name, timestamp FROM kestrel_migration WHERE name = '0006_security'`.execute(app.database.db)
    assert.equal(row.rows.length, 1)
    await sql`DELETE FROM kestrel_migration WHERE name = '0006_security'`.execute(app.database.owner)
    try {
      const { status, body } = await probe('/ready')
      assert.equal(status, 503)
      assert.deepEqual(body, { status: 'migrations pending', database: 'ok' }, 'no migration names, versions or errors')
      assert.equal((await probe('/health')).status, 200, 'still alive: a load balancer should not restart it for this')
    } finally {
      await sql`INSERT INTO kestrel_migration (name, timestamp) VALUES (${row.rows[0]!.name}, ${row.rows[0]!.timestamp})`.execute(app.database.owner)
    }
    assert.equal((await probe('/ready')).status, 200)
  })

  it('is not ready when the database cannot be reached, without saying why', async () => {
    const other = await startTestApp()
    try {
      await other.database.close()
      const response = await fetch(new URL('/ready', other.url))
      assert.equal(response.status, 503)
      assert.deepEqual(await response.json(), { status: 'unavailable', database: 'unreachable' })
    } finally {
      // The database is already closed; stopping closes the listener (and may find nothing left to close).
      await other.stop().catch(() => {})
    }
  })
})
