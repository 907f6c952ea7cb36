import { sql } from 'kysely'
import type { GrantableRole } from '../domain/roles.js'
import type { Executor } from './executor.js'

export interface SessionUser {
  organisation_id: string
  organisation_name: string
  id: string
  email: string
  display_name: string
  must_change_password: boolean
  service_id: string | null
  active: boolean
  roles: GrantableRole[]
  /** The organisation's setting (on unless turned off) and whether this person has finished setting up. */
  mfa_required: boolean
  mfa_enrolled: boolean
  unread_notifications: number
}

/**
 * Everything every signed-in request needs about its person, in one statement: who they are and
 * their roles now (so a removed role applies on the next request), their organisation's name and
 * MFA setting, whether they have an authenticator, and their unread notifications for the header.
 */
export async function findSessionUser(db: Executor, organisationId: string, userId: string): Promise<SessionUser | undefined> {
  return db
    .selectFrom('app_user as u')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .leftJoin('organisation_security_setting as s', 's.organisation_id', 'u.organisation_id')
    .select([
      'u.organisation_id',
      'o.name as organisation_name',
      'u.id',
      'u.email',
      'u.display_name',
      'u.must_change_password',
      'u.service_id',
      'u.active',
      sql<GrantableRole[]>`coalesce((SELECT array_agg(r.role ORDER BY r.role) FROM user_role r WHERE r.organisation_id = u.organisation_id AND r.user_id = u.id), '{}')`.as('roles'),
      sql<boolean>`coalesce(s.mfa_required, true)`.as('mfa_required'),
      sql<boolean>`EXISTS (SELECT 1 FROM user_mfa m WHERE m.organisation_id = u.organisation_id AND m.user_id = u.id AND m.enabled_at IS NOT NULL)`.as('mfa_enrolled'),
      sql<number>`(SELECT count(*) FROM notification n WHERE n.organisation_id = u.organisation_id AND n.user_id = u.id AND n.read_at IS NULL)`.as('unread_notifications'),
    ])
    .where('u.organisation_id', '=', organisationId)
    .where('u.id', '=', userId)
    .executeTakeFirst()
}
