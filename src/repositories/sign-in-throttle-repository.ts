import { newId } from '../ids.js'
import type { Executor } from './executor.js'

export async function countRecentFailures(db: Executor, keys: readonly string[], since: Date) {
  const rows = await db
    .selectFrom('sign_in_failure')
    .select(['throttle_key', (eb) => eb.fn.countAll<number>().as('failures')])
    .where('throttle_key', 'in', keys)
    .where('occurred_at', '>', since)
    .groupBy('throttle_key')
    .execute()
  return new Map(rows.map((r) => [r.throttle_key, Number(r.failures)]))
}

export async function recordFailures(db: Executor, keys: readonly string[], at: Date): Promise<void> {
  await db
    .insertInto('sign_in_failure')
    .values(keys.map((throttle_key) => ({ id: newId(), throttle_key, occurred_at: at })))
    .execute()
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failure').where('throttle_key', '=', key).execute()
}

export async function deleteFailuresBefore(db: Executor, before: Date): Promise<void> {
  await db.deleteFrom('sign_in_failure').where('occurred_at', '<', before).execute()
}
