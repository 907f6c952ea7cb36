import { sql, type Kysely } from 'kysely'

/**
 * Tables whose rows are evidence: triggers refuse UPDATE and DELETE on them for everyone, and the
 * application's role is not even granted those privileges, so it cannot drop or disable the
 * triggers either (only the owner can). `privileges.test.ts` checks this list against the
 * triggers in the database.
 */
export const APPEND_ONLY_TABLES = ['audit_event', 'chronology_entry', 'case_note', 'case_document', 'document_content', 'break_glass_access'] as const

/** Migration bookkeeping: the application reads it (/ready) and never writes it. */
const READ_ONLY_TABLES = ['kestrel_migration', 'kestrel_migration_lock'] as const

/** The role a connection acts as. */
export async function currentRole(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(db)
  return rows[0]!.role
}

export interface RoleFacts {
  superuser: boolean
  /** Owns at least one of Kestrel's tables. */
  ownsTables: boolean
}

export async function roleFacts(db: Kysely<any>): Promise<RoleFacts> {
  const { rows } = await sql<RoleFacts>`
    SELECT r.rolsuper AS superuser,
           EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = current_user) AS "ownsTables"
    FROM pg_roles r WHERE r.rolname = current_user`.execute(db)
  return rows[0]!
}

/**
 * Run by the tables' owner after every migration (so new tables are covered): the application's
 * role may read and write ordinary tables, only read and add to evidence tables, only read the
 * migration bookkeeping, and own nothing, so it cannot alter a table, drop a trigger or TRUNCATE.
 */
export async function grantApplicationAccess(owner: Kysely<any>, appRole: string): Promise<void> {
  if (appRole === (await currentRole(owner))) throw new Error('The application role must not be the owner of the tables: set DATABASE_URL to a different role from DATABASE_OWNER_URL.')
  const role = sql.id(appRole)
  await owner.transaction().execute(async (tx) => {
    await sql`GRANT USAGE ON SCHEMA public TO ${role}`.execute(tx)
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`.execute(tx)
    await sql`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${role}`.execute(tx)
    await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`.execute(tx)
    for (const table of APPEND_ONLY_TABLES) await sql`REVOKE UPDATE, DELETE ON ${sql.table(table)} FROM ${role}`.execute(tx)
    for (const table of READ_ONLY_TABLES) await sql`REVOKE INSERT, UPDATE, DELETE ON ${sql.table(table)} FROM ${role}`.execute(tx)
  })
}
