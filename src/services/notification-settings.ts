import type { Config } from '../config.js'
import type { AppDeps, SignedInContext } from '../context.js'
import type { EmailDelivery } from '../db/schema.js'
import type { Logger } from '../logger.js'
import type { Executor } from '../repositories/executor.js'
import { findNotificationSettings, listStoredNotifyApiKeys, resealNotifyApiKey, saveNotificationSettings } from '../repositories/notification-settings-repository.js'
import { audit } from './audit.js'
import { open, seal, SecretBoxError, type EncryptionKeys } from './secret-box.js'

/**
 * The GOV.UK Notify API key is kept sealed with the secret box (the same keys as MFA secrets),
 * bound to its organisation: copied into another organisation's row, it does not open. Rows
 * saved before sealing hold the key in plain text; they still work, and are sealed again the
 * next time they are saved or read to send an email.
 */
export const NOTIFY_KEY_NEEDS_ENCRYPTION = 'Kestrel needs an encryption key to keep the GOV.UK Notify API key safe: set KESTREL_ENCRYPTION_KEY and restart Kestrel (see docs/operations.md)'

export class NotifyKeyNeedsEncryption extends Error {
  constructor() {
    super(NOTIFY_KEY_NEEDS_ENCRYPTION)
  }
}

/** Why a saved key cannot be used. The message never contains the key. */
export class NotifyKeyUnreadable extends Error {}

function associatedData(organisationId: string): string {
  return `notify_api_key:${organisationId}`
}

/** Sealed values start `v1.`; anything else was saved in plain text before keys were sealed. */
export function isSealedNotifyApiKey(stored: string): boolean {
  return stored.startsWith('v1.')
}

/** A new key can be saved only if it can be sealed. */
export function canSaveNotifyApiKey(config: Config): boolean {
  return config.encryptionKeys !== undefined
}

export function sealNotifyApiKey(config: Config, organisationId: string, apiKey: string): string {
  if (!config.encryptionKeys) throw new NotifyKeyNeedsEncryption()
  return seal(config.encryptionKeys, apiKey, associatedData(organisationId))
}

export interface NotificationSettingsChange {
  emailDelivery: EmailDelivery
  /** A key just entered, or null to keep the saved one. */
  newApiKey: string | null
  notifyTemplates: Record<string, string>
}

/**
 * Saves an organisation's email settings if nobody else did since `expectedVersion`. A new key is
 * sealed (refused with NotifyKeyNeedsEncryption when no encryption key is configured); a kept key
 * saved in plain text is sealed now if it can be. The audit row says only whether the key changed.
 */
export async function updateNotificationSettings(deps: AppDeps, ctx: SignedInContext, expectedVersion: number, change: NotificationSettingsChange): Promise<boolean> {
  const organisationId = ctx.user.organisationId
  const newKey = change.newApiKey ? sealNotifyApiKey(deps.config, organisationId, change.newApiKey) : null
  return deps.database.db.transaction().execute(async (tx) => {
    const kept = newKey ? null : (await findNotificationSettings(tx, organisationId)).notifyApiKey
    const notifyApiKey = newKey ?? (kept && !isSealedNotifyApiKey(kept) && canSaveNotifyApiKey(deps.config) ? sealNotifyApiKey(deps.config, organisationId, kept) : kept)
    const ok = await saveNotificationSettings(tx, organisationId, expectedVersion, { emailDelivery: change.emailDelivery, notifyApiKey, notifyTemplates: change.notifyTemplates }, ctx.now())
    // The key itself is a secret: the audit row says only that it changed.
    if (ok) await audit(tx, ctx, { action: 'settings.notifications.update', details: { email_delivery: change.emailDelivery, api_key_changed: newKey !== null, templates: Object.keys(change.notifyTemplates) } })
    return ok
  })
}

/**
 * A stored key and what it should be stored as now: plain text (saved before sealing) or a value
 * sealed under a previous encryption key comes back with `resealed`, sealed with the current key;
 * a value already sealed with it, with `resealed` null. Throws SecretBoxError when it does not open.
 */
function withCurrentSeal(keys: EncryptionKeys, organisationId: string, stored: string): { apiKey: string; resealed: string | null } {
  const ad = associatedData(organisationId)
  if (!isSealedNotifyApiKey(stored)) return { apiKey: stored, resealed: seal(keys, stored, ad) }
  const opened = open(keys, stored, ad)
  return { apiKey: opened.plaintext, resealed: opened.stale ? seal(keys, opened.plaintext, ad) : null }
}

/**
 * The key to send with, from its stored form. A sealed value that does not open (another
 * encryption key, or another organisation's row) throws NotifyKeyUnreadable, so that attempt fails
 * and the email waits in the outbox. A value not sealed with the current key (a rotation with
 * several instances still starting) is sealed again here; if that update fails the email is still
 * sent and the next read or save tries again.
 */
export async function openNotifyApiKey(deps: { db: Executor; config: Config; logger: Logger }, organisationId: string, stored: string): Promise<string> {
  const keys = deps.config.encryptionKeys
  if (!keys) {
    if (isSealedNotifyApiKey(stored)) throw new NotifyKeyUnreadable('The saved GOV.UK Notify API key is sealed, but no encryption key is configured: set KESTREL_ENCRYPTION_KEY')
    return stored
  }
  let current: { apiKey: string; resealed: string | null }
  try {
    current = withCurrentSeal(keys, organisationId, stored)
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error
    throw new NotifyKeyUnreadable(`The saved GOV.UK Notify API key cannot be opened (${error.message}): check KESTREL_ENCRYPTION_KEY, or save the API key again in the email settings`)
  }
  if (current.resealed) {
    try {
      await resealNotifyApiKey(deps.db, organisationId, stored, current.resealed)
    } catch (error) {
      deps.logger.warn({ organisationId, err: { message: (error as Error).message } }, 'The GOV.UK Notify API key could not be sealed again; it will be tried again')
    }
  }
  return current.apiKey
}

/**
 * At start-up, with an encryption key configured: seals every key still held in plain text
 * and seals again those sealed under a previous encryption key, so none waits for its
 * organisation to save or send. A key that does not open is left as it is (its next delivery
 * attempt says why). Returns how many were sealed.
 */
export async function sealStoredNotifyApiKeys(deps: { db: Executor; config: Config; logger: Logger }): Promise<number> {
  const keys = deps.config.encryptionKeys
  if (!keys) return 0
  let sealed = 0
  for (const { organisationId, stored } of await listStoredNotifyApiKeys(deps.db)) {
    let resealed: string | null
    try {
      resealed = withCurrentSeal(keys, organisationId, stored).resealed
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error
      deps.logger.warn({ organisationId }, 'A saved GOV.UK Notify API key cannot be opened with the configured encryption keys; it was left as it is')
      continue
    }
    if (resealed && (await resealNotifyApiKey(deps.db, organisationId, stored, resealed))) sealed++
  }
  return sealed
}
