import { sql } from 'kysely'
import type { Executor } from './executor.js'

/** Creates the job's schedule row on first start; an existing schedule is left alone. */
export async function ensureJob(db: Executor, name: string, firstRunAt: Date): Promise<void> {
  await db.insertInto('scheduled_job').values({ name, next_run_at: firstRunAt }).onConflict((oc) => oc.column('name').doNothing()).execute()
}

/**
 * Takes a lease on one due job among `names`, if no other instance holds it. The row lock is held
 * only for this statement (SKIP LOCKED: a busy row is simply passed over); the lease then keeps
 * other instances away while the job runs, and lapses if this instance dies.
 */
export async function claimDueJob(db: Executor, names: readonly string[], owner: string, now: Date, leaseUntil: Date): Promise<{ name: string; next_run_at: Date } | undefined> {
  if (names.length === 0) return undefined
  const result = await sql<{ name: string; next_run_at: Date }>`
    UPDATE scheduled_job SET lease_owner = ${owner}, lease_expires_at = ${leaseUntil}, last_started_at = ${now}
    WHERE name = (
      SELECT name FROM scheduled_job
      WHERE name IN (${sql.join(names)}) AND next_run_at <= ${now} AND (lease_expires_at IS NULL OR lease_expires_at < ${now})
      ORDER BY next_run_at, name
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING name, next_run_at`.execute(db)
  return result.rows[0]
}

/** Ends a run this instance holds: schedules the next one and releases the lease. */
export async function finishJob(db: Executor, name: string, owner: string, values: { nextRunAt: Date; finishedAt: Date; outcome: 'success' | 'failure'; error: string | null }): Promise<boolean> {
  const r = await db
    .updateTable('scheduled_job')
    .set({ next_run_at: values.nextRunAt, lease_owner: null, lease_expires_at: null, last_finished_at: values.finishedAt, last_outcome: values.outcome, last_error: values.error, run_count: sql`run_count + 1` })
    .where('name', '=', name)
    .where('lease_owner', '=', owner)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function findJob(db: Executor, name: string) {
  return db.selectFrom('scheduled_job').selectAll().where('name', '=', name).executeTakeFirst()
}
