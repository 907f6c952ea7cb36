import { newId } from '../ids.js'
import type { Organisation } from '../db/schema.js'
import { insertDefaultAgencies } from './agency-repository.js'
import { startAuditChain } from './audit-repository.js'
import { insertSecuritySettings } from './security-setting-repository.js'
import type { Executor } from './executor.js'

/** `mfaRequired` defaults to on: only the demo council (and test organisations) start without it. */
export async function createOrganisation(tx: Executor, values: { name: string; slug: string; id?: string; mfaRequired?: boolean }): Promise<string> {
  const id = values.id ?? newId()
  await tx.insertInto('organisation').values({ id, name: values.name, slug: values.slug }).execute()
  await startAuditChain(tx, id)
  await insertDefaultAgencies(tx, id)
  await insertSecuritySettings(tx, id, values.mfaRequired ?? true)
  return id
}

export async function findOrganisation(db: Executor, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Events with no organisation of their own (a sign-in attempt for an unknown address) are recorded against the first one. */
export async function defaultOrganisationId(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('organisation').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst()
  return row?.id
}

export async function listOrganisationIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('organisation').select('id').orderBy('created_at').execute()
  return rows.map((r) => r.id)
}

/**
 * Serialises an organisation's reference-data writes (service and agency names), so "is this
 * name taken?" and the write that follows cannot interleave with another administrator's. NO KEY
 * UPDATE leaves rows that merely reference the organisation free to be written meanwhile.
 */
export async function lockReferenceData(tx: Executor, organisationId: string): Promise<void> {
  await tx.selectFrom('organisation').select('id').where('id', '=', organisationId).forNoKeyUpdate().execute()
}
