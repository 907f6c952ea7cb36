import { newId } from '../ids.js'
import { insertEmail } from '../repositories/email-outbox-repository.js'
import { insertNotification } from '../repositories/notification-repository.js'
import { findNotificationSettings } from '../repositories/notification-settings-repository.js'
import type { Executor } from '../repositories/executor.js'
import type { Message } from './notification-messages.js'

export interface Recipient {
  id: string
  email: string
}

/**
 * Tells someone something: an in-app notification and an email in the outbox, in the caller's
 * transaction (so a rolled-back change tells nobody). The email is sent later by the outbox job;
 * an organisation that keeps emails in the outbox (the demo) gets them marked "held".
 * A dedupe key makes a repeat (a job that ran twice) a no-op.
 */
export async function notifyPerson(
  tx: Executor,
  organisationId: string,
  recipient: Recipient,
  message: Message,
  options: { concernId?: string | null; href?: string | null; now: Date; dedupeKey?: string },
): Promise<boolean> {
  const created = await insertNotification(tx, {
    organisationId,
    id: newId(),
    userId: recipient.id,
    kind: message.kind,
    concernId: options.concernId ?? null,
    text: message.text,
    href: options.href ?? null,
    createdAt: options.now,
    dedupeKey: options.dedupeKey ?? null,
  })
  if (!created) return false
  const settings = await findNotificationSettings(tx, organisationId)
  await insertEmail(tx, {
    organisationId,
    id: newId(),
    to: recipient.email,
    kind: message.kind,
    subject: message.subject,
    body: message.body,
    personalisation: message.personalisation,
    status: settings.emailDelivery === 'outbox' ? 'held' : 'pending',
    createdAt: options.now,
    dedupeKey: options.dedupeKey ?? null,
  })
  return true
}
