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
