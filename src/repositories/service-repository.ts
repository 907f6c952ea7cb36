import type { Executor } from './executor.js'

export async function listServices(db: Executor, organisationId: string, options: { activeOnly?: boolean } = {}) {
  let q = db.selectFrom('service').selectAll().where('organisation_id', '=', organisationId)
  if (options.activeOnly) q = q.where('active', '=', true)
  return q.orderBy('sort_order').orderBy('name').execute()
}

export async function findService(db: Executor, organisationId: string, id: string) {
  return db.selectFrom('service').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()
}

export async function serviceNameTaken(db: Executor, organisationId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('service').select('id').where('organisation_id', '=', organisationId).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
  if (exceptId) q = q.where('id', '!=', exceptId)
  return (await q.executeTakeFirst()) !== undefined
}

export async function insertService(db: Executor, values: { organisationId: string; id: string; name: string; sortOrder: number }) {
  await db.insertInto('service').values({ organisation_id: values.organisationId, id: values.id, name: values.name, sort_order: values.sortOrder }).execute()
}

export async function updateService(db: Executor, organisationId: string, id: string, values: { name: string; active: boolean }): Promise<boolean> {
  const r = await db.updateTable('service').set(values).where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
