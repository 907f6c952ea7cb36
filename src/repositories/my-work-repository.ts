import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

/** A DSO's own cases: Lead or Second, not yet closed, most urgent first. */
export async function listMyCases(db: Executor, organisationId: string, userId: string, limit = 100) {
  return db
    .selectFrom('concern as c')
    .select(['c.id', 'c.reference', 'c.person_name', 'c.status', 'c.due_at', 'c.addressed_at', 'c.lead_dso_id', 'c.second_dso_id', 'c.second_agreed_at'])
    .where('c.organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('c.lead_dso_id', '=', userId), eb('c.second_dso_id', '=', userId)]))
    .where('c.status', 'in', ['allocated', 'open', 'closure_requested'])
    .where(concernVisibleTo(userId))
    .orderBy('c.due_at')
    .orderBy('c.id')
    .limit(limit)
    .execute()
}

/** New concerns waiting for a Lead and Second DSO, most urgent first. */
export async function listAwaitingAllocation(db: Executor, organisationId: string, userId: string, limit = 50) {
  return db
    .selectFrom('concern as c')
    .select(['c.id', 'c.reference', 'c.person_name', 'c.due_at'])
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', '=', 'submitted')
    .where(concernVisibleTo(userId))
    .orderBy('c.due_at')
    .orderBy('c.id')
    .limit(limit)
    .execute()
}
