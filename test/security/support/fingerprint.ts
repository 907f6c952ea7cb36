import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../src/db/schema.js'

/**
 * What the database holds, summarised so a suite can prove an attack changed nothing: row
 * counts of every table, and content hashes of everything one organisation or one record owns.
 * Tables are read from the catalogue, so new tables are covered without edits.
 */

/** Tables that change on every request by design: sessions and the sign-in throttle. */
export const BOOKKEEPING_TABLES = new Set(['http_session', 'sign_in_failure', 'kysely_migration', 'kysely_migration_lock', 'test_fault'])

async function tablesWithColumn(db: Kysely<DB>, column: string | null): Promise<string[]> {
  const rows = column
    ? await sql<{ table_name: string }>`
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.column_name = ${column}
        ORDER BY c.table_name`.execute(db)
    : await sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        ORDER BY table_name`.execute(db)
  return rows.rows.map((r) => r.table_name)
}

/** Rows in every table (except sessions and throttling), by table name. */
export async function rowCounts(db: Kysely<DB>): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const table of await tablesWithColumn(db, null)) {
    if (BOOKKEEPING_TABLES.has(table)) continue
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)
    counts.set(table, Number(r.rows[0]!.n))
  }
  return counts
}

/** Tables whose row count changed, as "table: before → after". */
export function countChanges(before: Map<string, number>, after: Map<string, number>, ignore: readonly string[] = []): string[] {
  const changes: string[] = []
  for (const [table, n] of after) {
    if (ignore.includes(table) || isDerived(table)) continue
    if ((before.get(table) ?? 0) !== n) changes.push(`${table}: ${before.get(table) ?? 0} → ${n}`)
  }
  return changes
}

async function hashWhere(db: Kysely<DB>, table: string, column: string, value: string): Promise<string> {
  const r = await sql<{ h: string | null }>`
    SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM ${sql.table(table)} t WHERE ${sql.ref(`t.${column}`)} = ${value}`.execute(db)
  return r.rows[0]?.h ?? 'empty'
}

/** A hash per table of every row an organisation owns (the organisation row included). */
export async function organisationFingerprint(db: Kysely<DB>, organisationId: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>([['organisation', await hashWhere(db, 'organisation', 'id', organisationId)]])
  for (const table of await tablesWithColumn(db, 'organisation_id')) {
    if (BOOKKEEPING_TABLES.has(table)) continue
    hashes.set(table, await hashWhere(db, table, 'organisation_id', organisationId))
  }
  return hashes
}

/** A hash per table of a concern and every row that belongs to it. */
export async function concernFingerprint(db: Kysely<DB>, concernId: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>([['concern', await hashWhere(db, 'concern', 'id', concernId)]])
  for (const table of await tablesWithColumn(db, 'concern_id')) hashes.set(table, await hashWhere(db, table, 'concern_id', concernId))
  return hashes
}

export function hashChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([table, h]) => before.get(table) !== h).map(([table]) => table)
}

/** Tables whose rows a refused request may still add: the audit trail (refusals and reads are audited). */
export const AUDIT_TABLES = ['audit_event', 'audit_chain_head']

/**
 * Reporting's figures are derived from the records and refreshed when a report is read: a cache,
 * not a change anyone made (report_settings, which people edit, is not one of them).
 */
export function isDerived(table: string): boolean {
  return table.startsWith('report_') && table !== 'report_settings'
}

let hashStatement: { key: string; text: string } | undefined

/**
 * One hash of everything the database holds (audit, sessions and throttling aside), in one
 * statement, so a suite can afford to take it around every hostile request.
 */
export async function contentHash(db: Kysely<DB>): Promise<string> {
  const tables = (await tablesWithColumn(db, null)).filter((t) => !BOOKKEEPING_TABLES.has(t) && !AUDIT_TABLES.includes(t) && !isDerived(t))
  const key = tables.join(',')
  if (hashStatement?.key !== key) {
    const parts = tables.map((t) => `SELECT '${t}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`)
    hashStatement = { key, text: `SELECT md5(string_agg(t || ':' || h, ',' ORDER BY t)) AS h FROM (${parts.join(' UNION ALL ')}) s` }
  }
  const r = await sql<{ h: string }>`${sql.raw(hashStatement.text)}`.execute(db)
  return r.rows[0]!.h
}
