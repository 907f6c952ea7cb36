/**
 * The words of every notification and email. Privacy-safe by construction: references, roles,
 * staff names and links only — never the name of the person at risk, the narrative, the decision
 * or anything a DSO wrote. GOV.UK Notify templates receive the same fields as personalisation
 * (every template can simply be "((subject))" / "((body))", or use the named fields).
 */
export const EMAIL_KINDS = ['allocation', 'agreement', 'referrer_update', 'daily_reminder', 'case_task', 'case_review', 'closure', 'break_glass', 'access_change', 'account_security'] as const
export type EmailKind = (typeof EMAIL_KINDS)[number]

export const EMAIL_KIND_LABELS: Record<EmailKind, string> = {
  allocation: 'You have been allocated a concern',
  agreement: 'The Second DSO agreed / the decision was recorded',
  referrer_update: 'Your concern has been dealt with (to the referrer)',
  daily_reminder: 'Daily reminder of concerns due or overdue',
  // Case record (issue 4): words in services/case-messages.ts.
  case_task: 'You have been given a task on a case',
  case_review: 'A case was escalated at the weekly case review',
  closure: 'A closure was requested, approved or returned',
  break_glass: 'A manager opened a restricted case (break glass)',
  access_change: 'An administrator granted a role, or reset a password or two-step verification',
  account_security: 'Your password or two-step verification changed (to the person whose account it is)',
}

export interface Message {
  kind: EmailKind
  /** One line for the in-app list. */
  text: string
  subject: string
  body: string
  personalisation: Record<string, string>
}

function message(kind: EmailKind, text: string, subject: string, body: string, fields: Record<string, string>): Message {
  return { kind, text, subject, body, personalisation: { ...fields, subject, body } }
}

export function allocationMessage(reference: string, role: 'Lead DSO' | 'Second DSO', link: string): Message {
  const action = role === 'Lead DSO' ? 'Please record the initial decision before the deadline.' : 'Please discuss it with the Lead DSO and confirm your agreement in Kestrel.'
  return message(
    'allocation',
    `You are the ${role} for concern ${reference}. ${action}`,
    `Kestrel: you are the ${role} for concern ${reference}`,
    `You have been made the ${role} for safeguarding concern ${reference}.\n\n${action}\n\nSign in to Kestrel to see it: ${link}`,
    { reference, role, link },
  )
}

export function agreementMessage(reference: string, link: string): Message {
  return message(
    'agreement',
    `The Second DSO agreed the initial decision for concern ${reference}.`,
    `Kestrel: the Second DSO agreed on concern ${reference}`,
    `The Second DSO has confirmed their agreement for safeguarding concern ${reference}. You can now record the initial decision.\n\nSign in to Kestrel: ${link}`,
    { reference, link },
  )
}

export function decisionRecordedMessage(reference: string, link: string): Message {
  return message(
    'agreement',
    `The initial decision for concern ${reference} has been recorded.`,
    `Kestrel: decision recorded on concern ${reference}`,
    `The Lead DSO has recorded the initial decision for safeguarding concern ${reference}, with your agreement.\n\nSign in to Kestrel: ${link}`,
    { reference, link },
  )
}

/** To the referrer: it was dealt with, and who the Lead DSO is. Never the decision. */
export function referrerUpdateMessage(reference: string, leadName: string, link: string): Message {
  return message(
    'referrer_update',
    `The safeguarding team has dealt with your concern ${reference}. ${leadName} is the Lead DSO.`,
    `Your safeguarding concern ${reference} has been dealt with`,
    `Thank you for raising safeguarding concern ${reference}. The safeguarding team has looked at it and dealt with it.\n\n${leadName} is the Lead Designated Safeguarding Officer for it. Contact them if you learn anything more or are worried again.\n\nFor privacy, we do not share what action was taken.\n\nSee your concern: ${link}`,
    { reference, lead_name: leadName, link },
  )
}

export interface ReminderCounts {
  dueToday: number
  overdue: number
  followUpsOverdue: number
}

export function dailyReminderMessage(date: string, counts: ReminderCounts, link: string): Message {
  const parts = [
    counts.overdue ? `${counts.overdue} overdue` : null,
    counts.dueToday ? `${counts.dueToday} due today` : null,
    counts.followUpsOverdue ? `${counts.followUpsOverdue} referral outcome${counts.followUpsOverdue === 1 ? '' : 's'} overdue for follow-up` : null,
  ].filter(Boolean)
  const summary = parts.join(', ')
  return message(
    'daily_reminder',
    `Today: ${summary}.`,
    `Kestrel: ${summary}`,
    `Good morning. Concerns that need you today (${date}):\n\n- ${parts.join('\n- ')}\n\nSign in to Kestrel to see them: ${link}`,
    { date, due_today: String(counts.dueToday), overdue: String(counts.overdue), follow_ups_overdue: String(counts.followUpsOverdue), link },
  )
}

/** To the Senior Lead Officers: an administrator changed who can reach case records, or how. */
export function accessChangeMessage(change: string, link: string): Message {
  return message(
    'access_change',
    change,
    'Kestrel: an administrator changed someone’s access',
    `${change}\n\nIf you did not expect this, speak to the administrator and check the account straight away.\n\nSign in to Kestrel: ${link}`,
    { change, link },
  )
}

/** A change to how someone signs in, told to them (services/account-notices.ts). */
export type AccountChange =
  | { kind: 'password-changed' }
  | { kind: 'password-reset'; by: string }
  | { kind: 'mfa-set-up' }
  | { kind: 'mfa-reset'; by: string }
  | { kind: 'recovery-codes-replaced' }
  | { kind: 'recovery-code-used'; left: number }

function describeAccountChange(change: AccountChange): { subject: string; text: string } {
  switch (change.kind) {
    case 'password-changed':
      return { subject: 'your password was changed', text: 'Your Kestrel password was changed.' }
    case 'password-reset':
      return { subject: 'your password was reset', text: `${change.by}, an administrator, reset your Kestrel password. You will be asked to choose a new one when you sign in with the temporary password they give you.` }
    case 'mfa-set-up':
      return { subject: 'two-step verification was set up', text: 'Two-step verification was set up on your Kestrel account, with an authenticator app and new recovery codes.' }
    case 'mfa-reset':
      return { subject: 'two-step verification was reset', text: `${change.by}, an administrator, removed the authenticator app and recovery codes from your Kestrel account.` }
    case 'recovery-codes-replaced':
      return { subject: 'new recovery codes', text: 'New recovery codes were made for your Kestrel account. The old ones no longer work.' }
    case 'recovery-code-used':
      return { subject: 'a recovery code was used', text: `A recovery code was used to sign in to your Kestrel account. ${change.left === 1 ? '1 recovery code is' : `${change.left} recovery codes are`} left.` }
  }
}

export function accountSecurityMessage(change: AccountChange, link: string): Message {
  const { subject, text } = describeAccountChange(change)
  const warning = 'If this was not you, tell your administrator or your Senior Lead Officer straight away: someone else may be able to sign in as you.'
  return message('account_security', text, `Kestrel: ${subject}`, `${text}\n\n${warning}\n\nKestrel: ${link}`, { change: change.kind, link })
}
