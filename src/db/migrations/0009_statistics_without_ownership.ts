import { sql, type Kysely } from 'kysely'

/**
 * PostgreSQL lets only a table's owner ANALYZE it, and on a server the application connects as a
 * role that owns nothing (privileges.ts). Large report refreshes and imports need fresh planner
 * statistics at once (autovacuum comes far too late: 67 against 3,500 concerns/s at a million),
 * so the owner lends exactly that: ANALYZE of one of Kestrel's own tables, nothing else.
 * SECURITY DEFINER with a fixed search_path, so the name cannot be redirected to another schema.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION kestrel_analyze(table_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = table_name) THEN
        RAISE EXCEPTION 'kestrel_analyze: % is not one of Kestrel''s tables', table_name;
      END IF;
      EXECUTE format('ANALYZE public.%I', table_name);
    END
    $$;
  `.execute(db)
}
