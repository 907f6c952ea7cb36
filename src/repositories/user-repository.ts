import { sql } from 'kysely'
import type { GrantableRole } from '../domain/roles.js'
import type { Executor } from './executor.js'

export interface UserRecord {
  organisation_id: string
  id: string
  email: string
  display_name: string
  password_hash: string | null
  must_change_password: boolean
  service_id: string | null
  service_name: string | null
  active: boolean
  version: number
  roles: GrantableRole[]
}

function userQuery(db: Executor) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('service as s', (j) => j.onRef('s.organisation_id', '=', 'u.organisation_id').onRef('s.id', '=', 'u.service_id'))
    .select([
      'u.organisation_id',
      'u.id',
      'u.email',
      'u.display_name',
      'u.password_hash',
      'u.must_change_password',
      'u.service_id',
      's.name as service_name',
      'u.active',
      'u.version',
      sql<GrantableRole[]>`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM user_role r WHERE r.organisation_id = u.organisation_id AND r.user_id = u.id), '{}')`.as('roles'),
    ])
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRecord | undefined> {
  return userQuery(db).where('u.email', '=', email.trim().toLowerCase()).executeTakeFirst()
}

export async function findUser(db: Executor, organisationId: string, id: string): Promise<UserRecord | undefined> {
  return userQuery(db).where('u.organisation_id', '=', organisationId).where('u.id', '=', id).executeTakeFirst()
}

export async function listUsers(db: Executor, organisationId: string, options: { search?: string; limit?: number; offset?: number } = {}) {
  let q = userQuery(db).where('u.organisation_id', '=', organisationId)
  if (options.search) {
    const like = `%${options.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) => eb.or([eb('u.email', 'like', like), eb(sql`lower(u.display_name)`, 'like', like)]))
  }
  return q
    .orderBy('u.active', 'desc')
    .orderBy('u.display_name')
    .limit(options.limit ?? 500)
    .offset(options.offset ?? 0)
    .execute()
}

export async function listActiveUsersWithRole(db: Executor, organisationId: string, role: GrantableRole) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('user_role as r', (j) => j.onRef('r.organisation_id', '=', 'u.organisation_id').onRef('r.user_id', '=', 'u.id'))
    .select(['u.id', 'u.display_name', 'u.email'])
    .where('u.organisation_id', '=', organisationId)
    .where('u.active', '=', true)
    .where('r.role', '=', role)
    .orderBy('u.display_name')
    .execute()
}

export interface NewUser {
  organisationId: string
  id: string
  email: string
  displayName: string
  passwordHash: string
  mustChangePassword: boolean
  serviceId: string | null
  roles: readonly GrantableRole[]
}

export async function insertUser(tx: Executor, user: NewUser): Promise<void> {
  await tx
    .insertInto('app_user')
    .values({
      organisation_id: user.organisationId,
      id: user.id,
      email: user.email.toLowerCase(),
      display_name: user.displayName,
      password_hash: user.passwordHash,
      must_change_password: user.mustChangePassword,
      service_id: user.serviceId,
    })
    .execute()
  await replaceRoles(tx, user.organisationId, user.id, user.roles)
}

export async function emailInUse(db: Executor, email: string, exceptUserId?: string): Promise<boolean> {
  let q = db.selectFrom('app_user').select('id').where('email', '=', email.toLowerCase())
  if (exceptUserId) q = q.where('id', '!=', exceptUserId)
  return (await q.executeTakeFirst()) !== undefined
}

export async function replaceRoles(tx: Executor, organisationId: string, userId: string, roles: readonly GrantableRole[]): Promise<void> {
  await tx.deleteFrom('user_role').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute()
  if (roles.length > 0) {
    await tx
      .insertInto('user_role')
      .values(roles.map((role) => ({ organisation_id: organisationId, user_id: userId, role })))
      .execute()
  }
}

/** Optimistic update: returns false when someone else saved first. */
export async function updateUserDetails(
  tx: Executor,
  organisationId: string,
  userId: string,
  expectedVersion: number,
  values: { displayName: string; serviceId: string | null; email: string },
): Promise<boolean> {
  const result = await tx
    .updateTable('app_user')
    .set({ display_name: values.displayName, service_id: values.serviceId, email: values.email.toLowerCase(), version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function setUserActive(tx: Executor, organisationId: string, userId: string, active: boolean, at: Date, expectedVersion: number): Promise<boolean> {
  const result = await tx
    .updateTable('app_user')
    .set({ active, deactivated_at: active ? null : at, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function setPassword(tx: Executor, organisationId: string, userId: string, passwordHash: string, mustChange: boolean): Promise<void> {
  await tx
    .updateTable('app_user')
    .set({ password_hash: passwordHash, must_change_password: mustChange, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .execute()
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
