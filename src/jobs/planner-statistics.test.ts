import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../test/helpers/app.js'
import { createLogger } from '../logger.js'
import { plannerStatisticsJob } from './planner-statistics.js'

describe('the planner-statistics job (embedded engine)', () => {
  let app: TestApp

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T09:00:00Z' })
    const org = await app.factories.organisation()
    const referrer = await app.factories.user(org)
    for (let i = 0; i < 30; i++) await app.factories.concern(referrer)
  })
  after(() => app.stop())

  /** What the planner believes a table holds: -1 until something has analysed it. */
  const believedRows = async (table: string) => Number((await sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE relname = ${table} AND relkind = 'r'`.execute(app.database.db)).rows[0]!.n)

  it('runs at night, after the 02:00 backup', () => {
    assert.deepEqual(plannerStatisticsJob.schedule, { kind: 'daily', at: '03:00' })
  })

  it('gives every table statistics, so tables that only ever grew are planned from their real size', async () => {
    assert.equal(await believedRows('concern'), -1, 'no statistics yet: the embedded engine has no autovacuum')
    await plannerStatisticsJob.run({ db: app.database.db, config: app.server.deps.config, logger: createLogger('silent'), now: () => app.clock.now(), scheduledFor: app.clock.now() })
    assert.equal(await believedRows('concern'), 30)
    assert.equal(await believedRows('chronology_entry'), 30, 'one "Concern received" entry each')
    const never = await sql<{ relname: string }>`SELECT c.relname FROM pg_class c JOIN pg_tables t ON t.tablename = c.relname AND t.schemaname = 'public' WHERE c.relkind = 'r' AND c.reltuples < 0`.execute(app.database.db)
    assert.deepEqual(never.rows, [], 'no table left without statistics')
  })
})
