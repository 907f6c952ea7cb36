import { sql, type Kysely } from 'kysely'

/**
 * Reporting at scale: the daily counts of 0007 summed per calendar month, so a year is twelve
 * groups of rows whatever the number of concerns (partial months are still read day by day),
 * and an index that finds restricted concerns without reading the rest. Written to be safe on a
 * database that already has them; existing counts are queued to fill the monthly table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE IF NOT EXISTS report_monthly (
      organisation_id uuid NOT NULL REFERENCES organisation (id),
      month date NOT NULL CHECK (extract(day FROM month) = 1),
      measure text NOT NULL,
      value text NOT NULL,
      n integer NOT NULL CHECK (n > 0),
      PRIMARY KEY (organisation_id, month, measure, value)
    );
    CREATE INDEX IF NOT EXISTS report_monthly_measure_idx ON report_monthly (organisation_id, measure, month);

    -- Restricted concerns are counted live, for those allowed: found without reading the rest.
    CREATE INDEX IF NOT EXISTS concern_restricted_idx ON concern (organisation_id, id) WHERE restricted;

    -- Days counted before this migration are rebuilt (with their months) on the next refresh.
    INSERT INTO report_stale_day (organisation_id, day)
    SELECT DISTINCT organisation_id, day FROM report_daily
    ON CONFLICT DO NOTHING;
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
