/** Everyone who can sign in is staff; the other roles are granted on top. */
export const GRANTABLE_ROLES = ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor', 'admin'] as const
export type GrantableRole = (typeof GRANTABLE_ROLES)[number]
export type AppRole = 'staff' | GrantableRole
export const ALL_ROLES: readonly AppRole[] = ['staff', ...GRANTABLE_ROLES]

export const ROLE_LABELS: Record<AppRole, string> = {
  staff: 'Staff member',
  dso: 'Designated Safeguarding Officer (DSO)',
  safeguarding_manager: 'Safeguarding manager',
  senior_lead_officer: 'Senior Lead Officer',
  auditor: 'Auditor',
  admin: 'Administrator',
}

export function isGrantableRole(value: string): value is GrantableRole {
  return (GRANTABLE_ROLES as readonly string[]).includes(value)
}

/**
 * Administrators cannot change their own roles, in either direction: removing their own admin
 * role could leave nobody to run the service, and granting themselves a case role would let them
 * read case content, which the admin role is kept away from. Another administrator must do it.
 */
export function ownRoleChangeError(before: readonly GrantableRole[], after: readonly GrantableRole[]): string | undefined {
  if (before.includes('admin') && !after.includes('admin')) return 'You cannot remove your own administrator role. Ask another administrator.'
  const same = before.length === new Set(after).size && after.every((role) => before.includes(role))
  return same ? undefined : 'You cannot change your own roles. Ask another administrator.'
}

/** Roles someone gains in this change (staff is everyone's and never granted). */
export function rolesGranted(before: readonly GrantableRole[], after: readonly GrantableRole[]): GrantableRole[] {
  return GRANTABLE_ROLES.filter((role) => after.includes(role) && !before.includes(role))
}
