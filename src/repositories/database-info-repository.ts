import { sql } from 'kysely'
import type { Executor } from './executor.js'

/** Migrations recorded as applied, in order (empty when the database has never been migrated). */
export async function appliedMigrations(db: Executor): Promise<string[]> {
  const exists = await sql<{ present: boolean }>`SELECT to_regclass('kestrel_migration') IS NOT NULL AS present`.execute(db)
  if (!exists.rows[0]?.present) return []
  const rows = await sql<{ name: string }>`SELECT name FROM kestrel_migration ORDER BY name`.execute(db)
  return rows.rows.map((r) => r.name)
}

export async function serverVersion(db: Executor): Promise<string> {
  const result = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)
  return result.rows[0]?.v ?? 'unknown'
}

/** Tables, views, sequences and types outside PostgreSQL's own schemas: 0 for an empty database. */
export async function countUserObjects(db: Executor): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  `.execute(db)
  return Number(result.rows[0]?.n ?? 0)
}
