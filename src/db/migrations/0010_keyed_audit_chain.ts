import { sql, type Kysely } from 'kysely'

/**
 * Audit rows are chained with an HMAC keyed outside the database (domain/audit-hash.ts), so
 * someone who can rewrite the table cannot recompute the chain. Each row names the key that
 * sealed it; rows written before this migration have none and keep their plain SHA-256 hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_event ADD COLUMN hash_key_id text`.execute(db)
}
