import { sql } from 'kysely'
import { DEFAULT_AGENCIES } from '../domain/onward-referral-rules.js'
import { newId } from '../ids.js'
import type { Executor } from './executor.js'

export async function insertDefaultAgencies(tx: Executor, organisationId: string): Promise<void> {
  await tx
    .insertInto('agency')
    .values(DEFAULT_AGENCIES.map((name, i) => ({ organisation_id: organisationId, id: newId(), name, sort_order: i })))
    .onConflict((oc) => oc.columns(['organisation_id', 'name']).doNothing())
    .execute()
}

export async function listAgencies(db: Executor, organisationId: string, options: { activeOnly?: boolean } = {}) {
  let q = db.selectFrom('agency').selectAll().where('organisation_id', '=', organisationId)
  if (options.activeOnly) q = q.where('active', '=', true)
  return q.orderBy('sort_order').orderBy('name').execute()
}

export async function findAgency(db: Executor, organisationId: string, id: string) {
  return db.selectFrom('agency').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()
}

export async function agencyNameTaken(db: Executor, organisationId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('agency').select('id').where('organisation_id', '=', organisationId).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
  if (exceptId) q = q.where('id', '!=', exceptId)
  return (await q.executeTakeFirst()) !== undefined
}

export async function insertAgency(tx: Executor, organisationId: string, name: string): Promise<string> {
  const id = newId()
  const max = await tx.selectFrom('agency').select((eb) => eb.fn.max('sort_order').as('m')).where('organisation_id', '=', organisationId).executeTakeFirst()
  await tx.insertInto('agency').values({ organisation_id: organisationId, id, name, sort_order: Number(max?.m ?? 0) + 1 }).execute()
  return id
}

export async function updateAgency(tx: Executor, organisationId: string, id: string, expectedVersion: number, values: { name: string; active: boolean }): Promise<boolean> {
  const r = await tx
    .updateTable('agency')
    .set({ name: values.name, active: values.active, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
