import type { ChainKey } from '../domain/audit-hash.js'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { DEFAULT_REFERRING_SERVICES } from '../domain/reference-lists.js'
import { newId } from '../ids.js'
import { appendAudit } from '../repositories/audit-repository.js'
import { createOrganisation, listOrganisationIds } from '../repositories/organisation-repository.js'
import { insertService } from '../repositories/service-repository.js'
import { emailInUse, insertUser } from '../repositories/user-repository.js'
import { hashPassword } from './passwords.js'

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'organisation'
}

/**
 * The first administrator on a fresh installation (the `create-admin` command). Creates the
 * organisation, with the default service list, if there is none yet.
 */
export async function createAdministrator(
  db: Kysely<DB>,
  input: { email: string; displayName: string; password: string; organisationName?: string; now: Date; chainKey: ChainKey | null },
): Promise<{ organisationId: string; userId: string; createdOrganisation: boolean }> {
  if (await emailInUse(db, input.email)) throw new Error(`There is already an account for ${input.email}`)
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (tx) => {
    let [organisationId] = await listOrganisationIds(tx)
    let createdOrganisation = false
    if (!organisationId) {
      if (!input.organisationName) throw new Error('This is a new installation: give the organisation name with --organisation "Name of council"')
      organisationId = await createOrganisation(tx, { name: input.organisationName, slug: slugify(input.organisationName) })
      createdOrganisation = true
      let order = 0
      for (const name of DEFAULT_REFERRING_SERVICES) {
        await insertService(tx, { organisationId, id: newId(), name, sortOrder: order++ })
      }
    }
    const userId = newId()
    await insertUser(tx, { organisationId, id: userId, email: input.email, displayName: input.displayName, passwordHash, mustChangePassword: false, serviceId: null, roles: ['admin'] })
    await appendAudit(tx, { organisationId, actorUserId: null, action: 'user.create', recordType: 'user', recordId: userId, occurredAt: input.now, details: { roles: ['admin'], via: 'cli' }, chainKey: input.chainKey })
    return { organisationId, userId, createdOrganisation }
  })
}
