import type { AppRole } from './roles.js'

/**
 * The one policy table. Every route names an action; an action not listed here is refused.
 * `anyone` covers the signed-out pages (sign-in, health). Record-level rules (whose concern,
 * restricted cases) sit in the per-record policy functions below and in the repositories.
 */
export const POLICY = {
  public: 'anyone',
  'account:use': ['staff'],
  'home:view': ['staff'],
  'concern:raise': ['staff'],
  'concern:list-own': ['staff'],
  'concern:view-own': ['staff'],
  'concern:queue': ['dso', 'safeguarding_manager'],
  'concern:view': ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'concern:viewers': ['safeguarding_manager', 'auditor'],
  'admin:users': ['admin'],
  'admin:reference-data': ['admin'],
  // Security (issue 6): setting up one's own authenticator; the organisation's security settings.
  'account:mfa': ['staff'],
  'admin:security': ['admin'],
  // Triage (issue 3): record-level rules (duty DSO, Lead DSO, Second DSO) are in domain/triage-access.ts.
  'rota:view': ['staff'],
  'rota:manage': ['safeguarding_manager'],
  'concern:allocate': ['dso', 'safeguarding_manager'],
  'concern:decide': ['dso'],
  'concern:agree': ['dso'],
  'referral:record': ['dso'],
  'notifications:use': ['staff'],
  'admin:email-outbox': ['admin'],
  'admin:notification-settings': ['admin'],
  // Reporting (issue 5): figures and case lists count restricted cases only for those named on them.
  'reports:view': ['safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'reports:export': ['safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'reports:settings': ['safeguarding_manager'],
  'reports:import': ['safeguarding_manager'],
  // Case record, weekly case review and closure (issue 4): record-level rules are in
  // domain/case-record-rules.ts and domain/closure-rules.ts.
  'cases:list': ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'case:add': ['dso', 'safeguarding_manager'],
  'case:print': ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'document:download': ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'case:restrict': ['safeguarding_manager'],
  'case:break-glass': ['safeguarding_manager'],
  'case:break-glass-log': ['safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'closure:ready': ['dso'],
  'closure:request': ['dso'],
  'closure:view': ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'closure:decide': ['senior_lead_officer'],
  'closure:queue': ['senior_lead_officer'],
  'case:reopen': ['safeguarding_manager'],
  'people:view': ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'people:merge': ['safeguarding_manager'],
  'reviews:view': ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'reviews:manage': ['safeguarding_manager'],
  // Retention-driven disposal (issue 6, design notes domain.md "Records and retention"): an
  // administrator sets the periods and can pause disposal; managers and Senior Lead Officers hold
  // cases and propose disposals; a second Senior Lead Officer approves (domain/retention.ts).
  'admin:retention': ['admin'],
  'records:review': ['safeguarding_manager', 'senior_lead_officer', 'auditor'],
  'records:propose-disposal': ['safeguarding_manager', 'senior_lead_officer'],
  'records:approve-disposal': ['senior_lead_officer'],
  'case:legal-hold': ['safeguarding_manager', 'senior_lead_officer'],
} as const satisfies Record<string, 'anyone' | readonly AppRole[]>

export type Action = keyof typeof POLICY

export function isAction(value: string): value is Action {
  return Object.hasOwn(POLICY, value)
}

/** Default deny: unknown actions and roles are refused. */
export function roleMayPerform(roles: ReadonlySet<AppRole> | undefined, action: Action): boolean {
  const rule = POLICY[action] as 'anyone' | readonly AppRole[] | undefined
  if (rule === undefined) return false
  if (rule === 'anyone') return true
  if (!roles) return false
  return rule.some((role) => roles.has(role))
}

export interface Actor {
  id: string
  organisationId: string
  roles: ReadonlySet<AppRole>
}

/** A referrer may see their own concern's submission and plain status, never case detail. */
export function mayViewOwnConcern(actor: Actor, concern: { organisation_id: string; referrer_user_id: string }): boolean {
  return concern.organisation_id === actor.organisationId && concern.referrer_user_id === actor.id
}

/** Case-level access for the safeguarding team and auditors, within their own organisation. */
export function mayViewConcern(actor: Actor, concern: { organisation_id: string }): boolean {
  return concern.organisation_id === actor.organisationId && roleMayPerform(actor.roles, 'concern:view')
}
