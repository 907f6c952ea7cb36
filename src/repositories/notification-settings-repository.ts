import { sql } from 'kysely'
import type { EmailDelivery } from '../db/schema.js'
import type { Executor } from './executor.js'

export interface NotificationSettings {
  emailDelivery: EmailDelivery
  /** As stored: sealed (`v1.…`, see src/services/notification-settings.ts) or, from before sealing, plain text. */
  notifyApiKey: string | null
  notifyTemplates: Record<string, string>
  version: number
}

/** An organisation that never saved settings keeps its emails in the outbox. */
export async function findNotificationSettings(db: Executor, organisationId: string): Promise<NotificationSettings> {
  const row = await db.selectFrom('organisation_notification_setting').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst()
  if (!row) return { emailDelivery: 'outbox', notifyApiKey: null, notifyTemplates: {}, version: 0 }
  return { emailDelivery: row.email_delivery, notifyApiKey: row.notify_api_key, notifyTemplates: row.notify_templates ?? {}, version: row.version }
}

/** Saves if nobody else did since `expectedVersion` (0 = never saved). */
export async function saveNotificationSettings(tx: Executor, organisationId: string, expectedVersion: number, values: Omit<NotificationSettings, 'version'>, at: Date): Promise<boolean> {
  const set = { email_delivery: values.emailDelivery, notify_api_key: values.notifyApiKey, notify_templates: JSON.stringify(values.notifyTemplates), updated_at: at }
  if (expectedVersion === 0) {
    const r = await tx
      .insertInto('organisation_notification_setting')
      .values({ organisation_id: organisationId, ...set })
      .onConflict((oc) => oc.column('organisation_id').doNothing())
      .executeTakeFirst()
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
  }
  const r = await tx
    .updateTable('organisation_notification_setting')
    .set({ ...set, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * Replaces a stored Notify key with its sealed form, only if nobody changed it meanwhile. The
 * key itself is unchanged, so the version is not bumped (an open settings form stays valid).
 */
export async function resealNotifyApiKey(tx: Executor, organisationId: string, stored: string, sealed: string): Promise<boolean> {
  const r = await tx
    .updateTable('organisation_notification_setting')
    .set({ notify_api_key: sealed })
    .where('organisation_id', '=', organisationId)
    .where('notify_api_key', '=', stored)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Every organisation's stored Notify key (sealed or not), for sealing them at start-up. */
export async function listStoredNotifyApiKeys(db: Executor): Promise<{ organisationId: string; stored: string }[]> {
  const rows = await db.selectFrom('organisation_notification_setting').select(['organisation_id', 'notify_api_key']).where('notify_api_key', 'is not', null).execute()
  return rows.map((r) => ({ organisationId: r.organisation_id, stored: r.notify_api_key! }))
}
