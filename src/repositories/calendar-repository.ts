import type { Executor } from './executor.js'

const DIVISION = 'england-and-wales'

/** Bank holidays and the organisation's closure days between two dates, as one set of London dates. */
export async function nonWorkingDates(db: Executor, organisationId: string, from: string, to: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('bank_holiday')
    .select('holiday_date as date')
    .where('division', '=', DIVISION)
    .where('holiday_date', '>=', from)
    .where('holiday_date', '<=', to)
    .unionAll(
      db
        .selectFrom('closure_day')
        .select('closure_date as date')
        .where('organisation_id', '=', organisationId)
        .where('closure_date', '>=', from)
        .where('closure_date', '<=', to),
    )
    .execute()
  return new Set(rows.map((r) => r.date))
}

export async function listClosureDays(db: Executor, organisationId: string) {
  return db.selectFrom('closure_day').selectAll().where('organisation_id', '=', organisationId).orderBy('closure_date').execute()
}

export async function addClosureDay(db: Executor, organisationId: string, date: string, reason: string): Promise<boolean> {
  const result = await db
    .insertInto('closure_day')
    .values({ organisation_id: organisationId, closure_date: date, reason })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function removeClosureDay(db: Executor, organisationId: string, date: string): Promise<boolean> {
  const result = await db.deleteFrom('closure_day').where('organisation_id', '=', organisationId).where('closure_date', '=', date).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
