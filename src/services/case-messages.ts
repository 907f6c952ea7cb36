import type { Message } from './notification-messages.js'

/**
 * The words of the case record's notifications and emails. Privacy-safe like the triage ones:
 * references, roles, staff names and links only — never the person's name, the narrative, notes
 * or a closing summary.
 */
function message(kind: Message['kind'], text: string, subject: string, body: string, fields: Record<string, string>): Message {
  return { kind, text, subject, body, personalisation: { ...fields, subject, body } }
}

export function taskAssignedMessage(reference: string, dueOn: string, link: string): Message {
  return message(
    'case_task',
    `You have a new task on case ${reference}, due ${dueOn}.`,
    `Kestrel: a task for you on case ${reference}`,
    `You have been given a task on safeguarding case ${reference}, due ${dueOn}.\n\nSign in to Kestrel to see it: ${link}`,
    { reference, due_on: dueOn, link },
  )
}

export function reviewEscalationMessage(reference: string, meetingDate: string, link: string): Message {
  return message(
    'case_review',
    `Case ${reference} was escalated to you at the weekly case review on ${meetingDate}.`,
    `Kestrel: case ${reference} escalated at the weekly case review`,
    `Safeguarding case ${reference} was escalated to the Senior Lead Officer at the weekly case review on ${meetingDate}.\n\nSign in to Kestrel to see the review notes: ${link}`,
    { reference, meeting_date: meetingDate, link },
  )
}

export function closureRequestedMessage(reference: string, leadName: string, link: string): Message {
  return message(
    'closure',
    `${leadName} asked for case ${reference} to be closed.`,
    `Kestrel: closure requested for case ${reference}`,
    `${leadName} (Lead DSO) has asked for safeguarding case ${reference} to be closed, after its Final Review.\n\nSign in to Kestrel to approve or return it: ${link}`,
    { reference, lead_name: leadName, link },
  )
}

export function closureDecidedMessage(reference: string, approved: boolean, link: string): Message {
  const what = approved ? 'approved the closure of' : 'returned the closure request for'
  return message(
    'closure',
    `The Senior Lead Officer ${what} case ${reference}.`,
    `Kestrel: closure ${approved ? 'approved' : 'returned'} for case ${reference}`,
    `The Senior Lead Officer ${what} safeguarding case ${reference}.${approved ? '' : ' Their comments are on the case.'}\n\nSign in to Kestrel: ${link}`,
    { reference, decision: approved ? 'approved' : 'returned', link },
  )
}

export function referrerClosedMessage(reference: string, link: string): Message {
  return message(
    'referrer_update',
    `Your concern ${reference} is now closed.`,
    `Your safeguarding concern ${reference} is closed`,
    `The safeguarding team has finished its work on concern ${reference} and closed it.\n\nFor privacy, we do not share what action was taken. If you are worried again, raise a new concern.\n\nSee your concern: ${link}`,
    { reference, link },
  )
}

export function breakGlassMessage(reference: string, managerName: string, link: string): Message {
  return message(
    'break_glass',
    `${managerName} opened restricted case ${reference} without being named on it (break glass).`,
    `Kestrel: restricted case ${reference} opened by break glass`,
    `${managerName} opened restricted safeguarding case ${reference}, which they are not named on, giving a reason. The reason is in the audit log and on the case's access record.\n\nSign in to Kestrel: ${link}`,
    { reference, manager_name: managerName, link },
  )
}
