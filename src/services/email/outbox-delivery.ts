import type { Kysely } from 'kysely'
import type { Config } from '../../config.js'
import type { DB } from '../../db/schema.js'
import { notifyTemplateFor } from '../../domain/notify-templates.js'
import type { Logger } from '../../logger.js'
import { claimDueEmails, markEmailAttemptFailed, markEmailSent, type ClaimedEmail } from '../../repositories/email-outbox-repository.js'
import { findNotificationSettings, type NotificationSettings } from '../../repositories/notification-settings-repository.js'
import { openNotifyApiKey } from '../notification-settings.js'
import { sendNotifyEmail } from './notify-client.js'
import { sendSmtpEmail } from './smtp-sender.js'

/** After this many attempts an email is parked as failed: still kept, and an administrator can retry it. */
export const MAX_EMAIL_ATTEMPTS = 12
const LEASE_MS = 2 * 60_000

/** Back-off: 1, 2, 4 … minutes, at most 6 hours between attempts. */
export function retryDelayMs(attempts: number): number {
  return Math.min(6 * 60, 2 ** Math.max(0, attempts - 1)) * 60_000
}

export interface DeliveryDeps {
  db: Kysely<DB>
  config: Config
  logger: Logger
  now(): Date
}

/**
 * Sends emails that are due, a batch at a time. Each email is claimed (with a lease) before it is
 * sent and marked sent only after the provider accepted it; a failure schedules another attempt,
 * so a provider outage delays emails but never loses one. Returns how many were sent and failed.
 */
export async function deliverDueEmails(deps: DeliveryDeps, batch = 20): Promise<{ sent: number; failed: number }> {
  const now = deps.now()
  const claimed = await deps.db.transaction().execute((tx) => claimDueEmails(tx, now, new Date(now.getTime() + LEASE_MS), batch))
  const settingsCache = new Map<string, OrganisationDelivery>()
  let sent = 0
  let failed = 0
  for (const email of claimed) {
    let settings = settingsCache.get(email.organisation_id)
    if (!settings) {
      settings = await findNotificationSettings(deps.db, email.organisation_id)
      settingsCache.set(email.organisation_id, settings)
    }
    const provider = settings.emailDelivery
    try {
      const reference = await send(deps, settings, email)
      await markEmailSent(deps.db, email.organisation_id, email.id, deps.now(), provider, reference)
      sent++
    } catch (error) {
      failed++
      const message = error instanceof Error ? error.message : String(error)
      const retryAt = email.attempts >= MAX_EMAIL_ATTEMPTS ? null : new Date(deps.now().getTime() + retryDelayMs(email.attempts))
      await markEmailAttemptFailed(deps.db, email.organisation_id, email.id, message, retryAt, provider)
      // Ids and the kind only: addresses are personal data.
      deps.logger.warn({ emailId: email.id, kind: email.kind, attempts: email.attempts, willRetry: retryAt !== null, provider }, 'Email send failed')
    }
  }
  return { sent, failed }
}

/** One organisation's settings for a batch, with its Notify key opened at most once. */
type OrganisationDelivery = NotificationSettings & { openedNotifyApiKey?: Promise<string> }

async function send(deps: DeliveryDeps, settings: OrganisationDelivery, email: ClaimedEmail): Promise<string | null> {
  switch (settings.emailDelivery) {
    case 'smtp': {
      if (!deps.config.email.smtpUrl) throw new Error('SMTP is chosen but SMTP_URL is not set')
      return sendSmtpEmail(deps.config.email.smtpUrl, { from: deps.config.email.from, to: email.to_address, subject: email.subject, text: email.body, reference: email.id })
    }
    case 'notify': {
      const templateId = notifyTemplateFor(settings.notifyTemplates, email.kind)
      if (!settings.notifyApiKey) throw new Error('GOV.UK Notify is chosen but no API key is saved')
      if (!templateId) throw new Error(`No GOV.UK Notify template id is saved for "${email.kind}" emails, and no general template`)
      // Stored sealed: a key that does not open fails this attempt (NotifyKeyUnreadable) and the email waits for a retry.
      const apiKey = await (settings.openedNotifyApiKey ??= openNotifyApiKey(deps, email.organisation_id, settings.notifyApiKey))
      return sendNotifyEmail({ baseUrl: deps.config.email.notifyBaseUrl, apiKey, templateId, emailAddress: email.to_address, personalisation: email.personalisation, reference: email.id, now: deps.now() })
    }
    case 'outbox':
      throw new Error('Email delivery is switched off (emails are kept in the outbox)')
  }
}
