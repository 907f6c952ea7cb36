import { sql } from 'kysely'
import type { AbsenceKind } from '../db/schema.js'
import type { Executor } from './executor.js'

export async function listDuties(db: Executor, organisationId: string, from: string, to: string) {
  return db
    .selectFrom('rota_duty as d')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'd.organisation_id').onRef('u.id', '=', 'd.user_id'))
    .select(['d.duty_date', 'd.user_id', 'u.display_name', 'u.email'])
    .where('d.organisation_id', '=', organisationId)
    .where('d.duty_date', '>=', from)
    .where('d.duty_date', '<=', to)
    .orderBy('d.duty_date')
    .orderBy('u.display_name')
    .execute()
}

export async function isOnDuty(db: Executor, organisationId: string, date: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('rota_duty').select('user_id').where('organisation_id', '=', organisationId).where('duty_date', '=', date).where('user_id', '=', userId).executeTakeFirst()
  return row !== undefined
}

export async function rotaDateVersion(db: Executor, organisationId: string, date: string): Promise<number> {
  const row = await db.selectFrom('rota_date').select('version').where('organisation_id', '=', organisationId).where('duty_date', '=', date).executeTakeFirst()
  return row?.version ?? 0
}

/**
 * Replaces who is on duty on a date if nobody else changed that day since `expectedVersion`
 * (0 = the day had never been set). Returns false on a stale version.
 */
export async function setDuties(tx: Executor, organisationId: string, date: string, userIds: readonly string[], expectedVersion: number, by: string | null, at: Date): Promise<boolean> {
  if (expectedVersion === 0) {
    const inserted = await tx
      .insertInto('rota_date')
      .values({ organisation_id: organisationId, duty_date: date, updated_by: by, updated_at: at })
      .onConflict((oc) => oc.columns(['organisation_id', 'duty_date']).doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false
  } else {
    const updated = await tx
      .updateTable('rota_date')
      .set({ version: sql`version + 1`, updated_by: by, updated_at: at })
      .where('organisation_id', '=', organisationId)
      .where('duty_date', '=', date)
      .where('version', '=', expectedVersion)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return false
  }
  await tx.deleteFrom('rota_duty').where('organisation_id', '=', organisationId).where('duty_date', '=', date).execute()
  if (userIds.length) await tx.insertInto('rota_duty').values(userIds.map((user_id) => ({ organisation_id: organisationId, duty_date: date, user_id }))).execute()
  return true
}

/** How many duties each person held between two dates (fairness across months). */
export async function dutyCounts(db: Executor, organisationId: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('rota_duty')
    .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organisation_id', '=', organisationId)
    .where('duty_date', '>=', from)
    .where('duty_date', '<=', to)
    .groupBy('user_id')
    .execute()
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]))
}

export async function listAbsences(db: Executor, organisationId: string, from: string, to: string) {
  return db
    .selectFrom('dso_absence as a')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'a.organisation_id').onRef('u.id', '=', 'a.user_id'))
    .select(['a.id', 'a.user_id', 'a.starts_on', 'a.ends_on', 'a.kind', 'u.display_name'])
    .where('a.organisation_id', '=', organisationId)
    .where('a.ends_on', '>=', from)
    .where('a.starts_on', '<=', to)
    .orderBy('a.starts_on')
    .orderBy('u.display_name')
    .execute()
}

export async function insertAbsence(
  tx: Executor,
  a: { organisationId: string; id: string; userId: string; startsOn: string; endsOn: string; kind: AbsenceKind; createdBy: string; createdAt: Date; submissionKey: string },
): Promise<boolean> {
  const r = await tx
    .insertInto('dso_absence')
    .values({ organisation_id: a.organisationId, id: a.id, user_id: a.userId, starts_on: a.startsOn, ends_on: a.endsOn, kind: a.kind, created_by: a.createdBy, created_at: a.createdAt, submission_key: a.submissionKey })
    .onConflict((oc) => oc.columns(['organisation_id', 'submission_key']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
}

export async function deleteAbsence(tx: Executor, organisationId: string, id: string) {
  return tx.deleteFrom('dso_absence').where('organisation_id', '=', organisationId).where('id', '=', id).returning(['user_id', 'starts_on', 'ends_on']).executeTakeFirst()
}
