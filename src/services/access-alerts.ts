import type { AppDeps, SignedInContext } from '../context.js'
import { ROLE_LABELS, type GrantableRole } from '../domain/roles.js'
import { paths } from '../paths.js'
import type { Executor } from '../repositories/executor.js'
import { listUsersWithRole } from '../repositories/restriction-repository.js'
import { accessChangeMessage } from './notification-messages.js'
import { notifyPerson } from './notifications.js'

/**
 * Administrators cannot read case content, but they control who can: granting a role, or
 * resetting the password or two-step verification of someone who holds one, could let them (or
 * anyone) in as that person. Each such change tells every Senior Lead Officer at once, in the
 * same transaction, as break glass does, so it cannot happen unseen.
 */
export type AccessChange =
  | { kind: 'granted'; person: string; roles: readonly GrantableRole[]; newAccount: boolean }
  | { kind: 'password-reset' | 'mfa-reset'; person: string }

export function describeAccessChange(actor: string, change: AccessChange): string {
  if (change.kind === 'granted') {
    const roles = change.roles.map((r) => ROLE_LABELS[r]).join(', ')
    return change.newAccount ? `${actor} created an account for ${change.person} with these roles: ${roles}.` : `${actor} gave ${change.person} these roles: ${roles}.`
  }
  const what = change.kind === 'password-reset' ? 'password' : 'two-step verification'
  return `${actor} reset the ${what} of ${change.person}, who holds a role beyond staff member.`
}

export async function alertSeniorLeadOfficers(tx: Executor, deps: AppDeps, ctx: SignedInContext, change: AccessChange): Promise<void> {
  if (change.kind === 'granted' && change.roles.length === 0) return
  const message = accessChangeMessage(describeAccessChange(ctx.user.displayName, change), `${deps.config.publicUrl}${paths.notifications()}`)
  for (const slo of await listUsersWithRole(tx, ctx.user.organisationId, 'senior_lead_officer')) {
    if (slo.id === ctx.user.id) continue
    await notifyPerson(tx, ctx.user.organisationId, { id: slo.id, email: slo.email }, message, { href: paths.notifications(), now: ctx.now() })
  }
}
