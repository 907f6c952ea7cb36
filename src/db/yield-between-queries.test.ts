import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestDatabase, engineName } from '../../test/helpers/database.js'
import type { Database } from './connect.js'
import { yieldBetweenQueries } from './yield-between-queries.js'

describe(`report queries leave room for other requests (${engineName})`, () => {
  let database: Database
  before(async () => {
    database = await createTestDatabase()
  })
  after(() => database.close())

  it('lets the event loop run other work between one report’s queries', async () => {
    const db = database.db.withPlugin(yieldBetweenQueries)
    let turns = 0
    let waiting = true
    const tick = () => {
      if (!waiting) return
      turns++
      setImmediate(tick)
    }
    setImmediate(tick)
    for (let i = 0; i < 20; i++) await sql`SELECT ${i}::int AS n`.execute(db)
    waiting = false
    // Other work (here, a task re-queued each turn) ran between every pair of queries.
    assert.ok(turns >= 20, `only ${turns} turns for other work during 20 queries`)
  })

  it('passes results through unchanged', async () => {
    const rows = await sql<{ n: number }>`SELECT 41 + 1 AS n`.execute(database.db.withPlugin(yieldBetweenQueries))
    assert.deepEqual(rows.rows, [{ n: 42 }])
  })
})
