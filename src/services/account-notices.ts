import type { AppDeps } from '../context.js'
import { paths } from '../paths.js'
import type { Executor } from '../repositories/executor.js'
import { accountSecurityMessage, type AccountChange } from './notification-messages.js'
import { notifyPerson, type Recipient } from './notifications.js'

/**
 * Tells people when their password or two-step verification changes — in the app and by email,
 * in the same transaction as the change — so a change they did not make (an administrator's
 * reset, or someone with their password or an open session) does not go unnoticed.
 */
export async function tellAccountHolder(tx: Executor, deps: Pick<AppDeps, 'config'>, organisationId: string, person: Recipient, change: AccountChange, now: Date): Promise<void> {
  await notifyPerson(tx, organisationId, person, accountSecurityMessage(change, `${deps.config.publicUrl}${paths.signIn()}`), { now })
}
