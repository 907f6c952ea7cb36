import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import type { Logger } from '../logger.js'
import type { Schedule } from './schedule.js'

export interface JobContext {
  db: Kysely<DB>
  config: Config
  logger: Logger
  /** The app clock (tests move it by hand). */
  now(): Date
  /** When this run was due. */
  scheduledFor: Date
}

/**
 * A job Kestrel runs in-process on a schedule kept in the database. To add one, write a
 * JobDefinition and list it in registry.ts. `run` must be safe to repeat: a run whose instance
 * dies is run again when its lease lapses (use dedupe keys for anything sent).
 */
export interface JobDefinition {
  /** Stable name: the schedule row's key. */
  name: string
  schedule: Schedule
  /** How long one run may take before another instance may take over (default 10 minutes). */
  leaseMs?: number
  run(ctx: JobContext): Promise<void>
}
