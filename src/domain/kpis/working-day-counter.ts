import { addCalendarDays, isWorkingDay, type NonWorkingDates } from '../working-days.js'

/**
 * Working days between dates in constant time, for reports over thousands of concerns. It asks
 * working-days.ts about each calendar date once, then answers from a running count, so it agrees
 * with `workingDaysAfter` by construction (a property test checks that too).
 */
export class WorkingDayCounter {
  private readonly index = new Map<string, number>()

  constructor(
    readonly from: string,
    readonly to: string,
    nonWorking: NonWorkingDates,
  ) {
    let count = 0
    for (let date = from; date <= to; date = addCalendarDays(date, 1)) {
      if (isWorkingDay(date, nonWorking)) count++
      this.index.set(date, count)
    }
  }

  covers(date: string): boolean {
    return this.index.has(date)
  }

  /** Working days strictly after `start` up to and including `end` (0 when end <= start). */
  between(start: string, end: string): number {
    if (end <= start) return 0
    const a = this.index.get(start)
    const b = this.index.get(end)
    if (a === undefined || b === undefined) throw new RangeError(`Working-day calendar ${this.from}..${this.to} does not cover ${start}..${end}`)
    return b - a
  }
}
