import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

/**
 * Fresh planner statistics for tables that just grew a lot. Autovacuum looks far less often than
 * a bulk change needs (and the embedded engine has none): with statistics from when a table was
 * nearly empty, the planner scans it whole where an index lookup was meant. One table at a time;
 * on the embedded engine from a smaller sample, because each ANALYZE holds its only thread.
 */
export async function analyzeTables(db: Kysely<DB>, tables: readonly (keyof DB & string)[], options: { embedded?: boolean } = {}): Promise<void> {
  for (const table of tables) {
    await db.transaction().execute(async (tx) => {
      if (options.embedded) await sql`SET LOCAL default_statistics_target = 10`.execute(tx)
      // Through the owner's function: the application's role may not ANALYZE (migration 0009).
      await sql`SELECT kestrel_analyze(${table})`.execute(tx)
    })
  }
}
