import { asReportWork } from '../db/page-traffic.js'
import { analyzeTables, listTables } from '../repositories/table-statistics-repository.js'
import type { JobDefinition } from './job.js'

/**
 * The embedded engine has no autovacuum, so without this nothing ever gathers planner statistics
 * for tables that grow through everyday use (concerns, referrals, chronology). With none, the
 * planner guesses: at a million concerns the report refresh scanned every onward referral for each
 * batch of 250 concerns (446 ms a batch, against 54 ms with statistics). Each night, after the
 * backup, every table is analysed from a small sample, one at a time, pages first between them.
 * PostgreSQL servers leave this to autovacuum.
 */
export const plannerStatisticsJob: JobDefinition = {
  name: 'planner-statistics',
  schedule: { kind: 'daily', at: '03:00' },
  leaseMs: 60 * 60_000,
  async run(ctx) {
    const tables = await listTables(ctx.db)
    const started = Date.now()
    for (const table of tables) await asReportWork(() => analyzeTables(ctx.db, [table], { embedded: true }))
    ctx.logger.info({ tables: tables.length, ms: Date.now() - started }, 'Planner statistics gathered')
  },
}
