import { sql } from 'kysely'
import { UNADDRESSED } from './concern-repository.js'
import type { Executor } from './executor.js'

/** For a restricted case, who is named on it (only they may be counted it); null otherwise. */
const namedOnRestricted = sql<string[] | null>`CASE WHEN c.restricted THEN ARRAY(SELECT ca.user_id::text FROM concern_access ca WHERE ca.organisation_id = c.organisation_id AND ca.concern_id = c.id) END`.as('named_ids')

/** Facts for the start-of-day reminder (a system job: counts only, nothing shown to anyone). */
export async function listWaitingDueBy(db: Executor, organisationId: string, dueBy: Date) {
  return db
    .selectFrom('concern as c')
    .select(['c.id', 'c.due_at', 'c.lead_dso_id', namedOnRestricted])
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', 'in', UNADDRESSED)
    .where('c.addressed_at', 'is', null)
    .where('c.due_at', '<=', dueBy)
    .execute()
}

export async function listFollowUpsOverdue(db: Executor, organisationId: string, today: string) {
  return db
    .selectFrom('onward_referral as r')
    .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'r.organisation_id').onRef('c.id', '=', 'r.concern_id'))
    .select(['r.id', 'c.lead_dso_id', namedOnRestricted])
    .where('r.organisation_id', '=', organisationId)
    .where('r.outcome', 'is', null)
    .where('r.follow_up_on', '<', today)
    .where('c.status', '!=', 'closed')
    .execute()
}

export async function activeUsersByIds(db: Executor, organisationId: string, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db.selectFrom('app_user').select(['id', 'email', 'display_name']).where('organisation_id', '=', organisationId).where('active', '=', true).where('id', 'in', [...ids]).execute()
}
