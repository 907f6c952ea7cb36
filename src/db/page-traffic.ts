import { AsyncLocalStorage } from 'node:async_hooks'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'

/**
 * Pages first, reports in the gaps. The embedded database has one connection and answers on the
 * main thread, so a report's queries and a DSO's page queue for the same engine. Report work
 * (marked with `asReportWork`) takes a turn before each statement (`reportTurn`): one report
 * statement at a time, and each waits while any page is in progress, but never longer than
 * `maxWaitMs`, so a report still finishes on a busy system. A page then waits for at most the one
 * report statement already running — not for a whole report, nor for the several statements a
 * report runs side by side.
 */
export class PageTraffic {
  #inProgress = 0
  readonly #quiet = new Set<() => void>()
  #lastTurn: Promise<void> = Promise.resolve()

  /** The longest one report statement waits for pages before it goes anyway. */
  constructor(public maxWaitMs = 30) {}

  get inProgress(): number {
    return this.#inProgress
  }

  /** A page has started; call the returned function once when it has finished. */
  begin(): () => void {
    this.#inProgress++
    let ended = false
    return () => {
      if (ended) return
      ended = true
      this.#inProgress--
      if (this.#inProgress === 0) for (const wake of this.#quiet) wake()
    }
  }

  /**
   * Report work calls this before each statement: it resolves when no other report statement is
   * running and pages have had their way; call the returned function when the statement is done.
   */
  async reportTurn(): Promise<() => void> {
    let done!: () => void
    const previous = this.#lastTurn
    this.#lastTurn = new Promise<void>((resolve) => (done = resolve))
    await previous
    await this.giveWay()
    return done
  }

  /** Waits while pages are in progress (at most maxWaitMs). Always yields one turn of the event loop. */
  async giveWay(): Promise<void> {
    await nextTurn()
    if (this.#inProgress === 0) return
    const abort = new AbortController()
    let wake!: () => void
    const quiet = new Promise<void>((resolve) => (wake = resolve))
    this.#quiet.add(wake)
    try {
      await Promise.race([quiet, sleep(this.maxWaitMs, undefined, { signal: abort.signal }).catch(() => {})])
    } finally {
      this.#quiet.delete(wake)
      abort.abort()
    }
  }
}

const reportWork = new AsyncLocalStorage<true>()

/** Runs `work` as report work: its statements on the embedded database give way to pages. */
export function asReportWork<T>(work: () => Promise<T>): Promise<T> {
  return reportWork.run(true, work)
}

export function isReportWork(): boolean {
  return reportWork.getStore() === true
}
