import { sql, type Kysely } from 'kysely'
import holidays from '../reference/bank-holidays-england-and-wales.json' with { type: 'json' }

/** England and Wales bank holidays 2010–2030, copied from shared/reference (GOV.UK data). */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const event of holidays.events) {
    await sql`
      INSERT INTO bank_holiday (division, holiday_date, title)
      VALUES (${holidays.division}, ${event.date}::date, ${event.title})
      ON CONFLICT DO NOTHING
    `.execute(db)
  }
}

export async function down(): Promise<void> {
  throw new Error('Kestrel migrations are forward-only: restore a backup to go back.')
}
