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

/** Kestrel's own tables (the public schema), for the embedded engine's nightly statistics. */
export async function listTables(db: Kysely<DB>): Promise<(keyof DB & string)[]> {
  const rows = await sql<{ name: keyof DB & string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(db)
  return rows.rows.map((r) => r.name)
}
