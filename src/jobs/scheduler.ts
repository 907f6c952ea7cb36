import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { Clock } from '../context.js'
import type { DB } from '../db/schema.js'
import { loggableError } from '../log-safe-error.js'
import type { Logger } from '../logger.js'
import { claimDueJob, ensureJob, finishJob } from '../repositories/job-repository.js'
import type { JobDefinition } from './job.js'
import { firstRun, nextRunAfter } from './schedule.js'

const DEFAULT_LEASE_MS = 10 * 60_000
const RETRY_AFTER_FAILURE_MS = 5 * 60_000

export interface SchedulerDeps {
  db: Kysely<DB>
  config: Config
  logger: Logger
  clock: Clock
}

/**
 * Runs due jobs in this process. Any number of app instances may run a scheduler against one
 * database: each run is claimed with a lease on the job's row, so only one instance runs it.
 */
export class Scheduler {
  readonly owner = `${process.pid}-${randomUUID()}`
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> = Promise.resolve()
  private busy = false
  private registered = false

  constructor(
    private readonly deps: SchedulerDeps,
    private readonly jobs: readonly JobDefinition[],
  ) {
    const names = new Set<string>()
    for (const job of jobs) {
      if (names.has(job.name)) throw new Error(`Job registered twice: ${job.name}`)
      names.add(job.name)
    }
  }

  /** Creates schedule rows for jobs the database has not seen yet. */
  async register(): Promise<void> {
    const now = this.deps.clock.now()
    for (const job of this.jobs) await ensureJob(this.deps.db, job.name, firstRun(job.schedule, now))
    this.registered = true
  }

  /** Runs every job that is due now, one after another; returns the names that ran here. */
  async tick(): Promise<string[]> {
    if (!this.registered) await this.register()
    const ran: string[] = []
    const names = this.jobs.map((j) => j.name)
    // Bounded: a job due again immediately (an interval shorter than its run) waits for the next tick.
    for (let i = 0; i < this.jobs.length; i++) {
      const now = this.deps.clock.now()
      const remaining = names.filter((n) => !ran.includes(n))
      const leaseMs = Math.max(...this.jobs.map((j) => j.leaseMs ?? DEFAULT_LEASE_MS))
      const claimed = await claimDueJob(this.deps.db, remaining, this.owner, now, new Date(now.getTime() + leaseMs))
      if (!claimed) break
      const job = this.jobs.find((j) => j.name === claimed.name)!
      ran.push(job.name)
      let outcome: 'success' | 'failure' = 'success'
      let error: string | null = null
      try {
        await job.run({ db: this.deps.db, config: this.deps.config, logger: this.deps.logger, now: () => this.deps.clock.now(), scheduledFor: claimed.next_run_at })
      } catch (e) {
        outcome = 'failure'
        error = loggableError(e).message.slice(0, 500)
        this.deps.logger.error({ job: job.name, err: { message: error } }, 'Job failed')
      }
      const finished = this.deps.clock.now()
      const scheduled = new Date(claimed.next_run_at)
      const next = outcome === 'success' ? nextRunAfter(job.schedule, finished > scheduled ? finished : scheduled) : new Date(finished.getTime() + RETRY_AFTER_FAILURE_MS)
      await finishJob(this.deps.db, job.name, this.owner, { nextRunAt: next, finishedAt: finished, outcome, error })
    }
    return ran
  }

  /** Polls every `intervalMs`; never overlaps its own ticks. */
  start(intervalMs = 15_000): void {
    if (this.timer) return
    const poll = () => {
      if (this.busy) return
      this.busy = true
      this.running = this.tick()
        .catch((e: unknown) => this.deps.logger.error({ err: { message: loggableError(e).message } }, 'Scheduler tick failed'))
        .finally(() => (this.busy = false))
    }
    poll()
    this.timer = setInterval(poll, intervalMs)
    this.timer.unref()
  }

  /** Stops polling and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }
}
