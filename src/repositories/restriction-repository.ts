import { sql } from 'kysely'
import type { Executor } from './executor.js'

/** Restricted cases: the people named on them, and managers' break-glass openings. */

export async function listNamedPeople(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('concern_access as ca')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'ca.organisation_id').onRef('u.id', '=', 'ca.user_id'))
    .select(['ca.user_id', 'u.display_name', 'ca.granted_at'])
    .where('ca.organisation_id', '=', organisationId)
    .where('ca.concern_id', '=', concernId)
    .orderBy('u.display_name')
    .execute()
}

export async function isNamedOnCase(db: Executor, organisationId: string, concernId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('concern_access')
    .select('user_id')
    .where('organisation_id', '=', organisationId)
    .where('concern_id', '=', concernId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Sets whether a case is restricted and exactly who is named on it, if nobody changed the case
 * since `expectedVersion`. Lifting the restriction removes the names.
 */
export async function setRestriction(tx: Executor, organisationId: string, concernId: string, expectedVersion: number, restricted: boolean, userIds: readonly string[], by: string, at: Date): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({ restricted, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await tx.deleteFrom('concern_access').where('organisation_id', '=', organisationId).where('concern_id', '=', concernId).execute()
  if (restricted && userIds.length) {
    await tx
      .insertInto('concern_access')
      .values(userIds.map((userId) => ({ organisation_id: organisationId, concern_id: concernId, user_id: userId, granted_by: by, granted_at: at })))
      .execute()
  }
  return true
}

/** People who can be named on a restricted case: active members of the safeguarding team and auditors. */
export async function listNameableUsers(db: Executor, organisationId: string) {
  const rows = await db
    .selectFrom('app_user as u')
    .innerJoin('user_role as r', (j) => j.onRef('r.organisation_id', '=', 'u.organisation_id').onRef('r.user_id', '=', 'u.id'))
    .select(['u.id', 'u.display_name', sql<string[]>`array_agg(r.role::text ORDER BY r.role)`.as('roles')])
    .where('u.organisation_id', '=', organisationId)
    .where('u.active', '=', true)
    .where('r.role', 'in', ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor'])
    .groupBy(['u.id', 'u.display_name'])
    .orderBy('u.display_name')
    .execute()
  return rows
}

export async function insertBreakGlass(tx: Executor, row: { organisationId: string; id: string; concernId: string; userId: string; reason: string; openedAt: Date; expiresAt: Date }) {
  await tx
    .insertInto('break_glass_access')
    .values({ organisation_id: row.organisationId, id: row.id, concern_id: row.concernId, user_id: row.userId, reason: row.reason, opened_at: row.openedAt, expires_at: row.expiresAt })
    .execute()
}

/** A restricted case by its reference (break glass starts from the reference the manager was given). */
export async function findByReference(db: Executor, organisationId: string, reference: string) {
  return db
    .selectFrom('concern')
    .select(['id', 'reference', 'restricted', 'status'])
    .where('organisation_id', '=', organisationId)
    .where('reference', '=', reference)
    .executeTakeFirst()
}

/** Every break-glass opening of a case, newest first (for managers and auditors). */
export async function listBreakGlass(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('break_glass_access as bg')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'bg.organisation_id').onRef('u.id', '=', 'bg.user_id'))
    .select(['bg.id', 'bg.reason', 'bg.opened_at', 'bg.expires_at', 'u.display_name'])
    .where('bg.organisation_id', '=', organisationId)
    .where('bg.concern_id', '=', concernId)
    .orderBy('bg.opened_at', 'desc')
    .execute()
}

/** Active users holding a role (the Senior Lead Officers to alert). */
export async function listUsersWithRole(db: Executor, organisationId: string, role: 'senior_lead_officer' | 'safeguarding_manager') {
  return db
    .selectFrom('app_user as u')
    .innerJoin('user_role as r', (j) => j.onRef('r.organisation_id', '=', 'u.organisation_id').onRef('r.user_id', '=', 'u.id'))
    .select(['u.id', 'u.email', 'u.display_name'])
    .where('u.organisation_id', '=', organisationId)
    .where('u.active', '=', true)
    .where('r.role', '=', role)
    .orderBy('u.display_name')
    .execute()
}

/** Break-glass openings across the organisation, newest first, with the case reference (not the person). */
export async function listBreakGlassLog(db: Executor, organisationId: string, limit: number) {
  return db
    .selectFrom('break_glass_access as bg')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'bg.organisation_id').onRef('u.id', '=', 'bg.user_id'))
    .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'bg.organisation_id').onRef('c.id', '=', 'bg.concern_id'))
    .select(['bg.id', 'bg.reason', 'bg.opened_at', 'u.display_name', 'c.reference'])
    .where('bg.organisation_id', '=', organisationId)
    .orderBy('bg.opened_at', 'desc')
    .limit(limit)
    .execute()
}
