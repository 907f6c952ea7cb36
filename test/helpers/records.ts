import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.js'

/** Rows in a table: tests compare counts before and after to prove nothing was saved. */
export async function countRows(db: Kysely<DB>, table: keyof DB): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The organisation's audit rows after a given sequence number, oldest first. */
export async function auditRowsAfter(db: Kysely<DB>, organisationId: string, afterSeq: number) {
  return db.selectFrom('audit_event').selectAll().where('organisation_id', '=', organisationId).where('seq', '>', afterSeq).orderBy('seq').execute()
}

/** The last audit sequence number so far (0 for a new organisation). */
export async function lastAuditSeq(db: Kysely<DB>, organisationId: string): Promise<number> {
  const head = await db.selectFrom('audit_chain_head').select('last_seq').where('organisation_id', '=', organisationId).executeTakeFirst()
  return Number(head?.last_seq ?? 0)
}
