import { sql, type Kysely } from 'kysely'

/**
 * Restricted concerns are counted live for each viewer (report-query-repository.ts). A period's
 * counts need the restricted facts received, addressed or closed in it and the referrals made in
 * it: with an index on each date they are found without reading every restricted fact (at a
 * million concerns, 1,000 restricted facts read twice per dashboard held the embedded server's
 * one thread for 18 ms each time). Partial, so they hold only the few restricted rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX IF NOT EXISTS report_fact_restricted_addressed_idx ON report_concern_fact (organisation_id, addressed_on) WHERE restricted;
    CREATE INDEX IF NOT EXISTS report_fact_restricted_closed_idx ON report_concern_fact (organisation_id, closed_on) WHERE restricted;
    CREATE INDEX IF NOT EXISTS report_referral_restricted_made_idx ON report_referral_fact (organisation_id, made_on) WHERE restricted;
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
