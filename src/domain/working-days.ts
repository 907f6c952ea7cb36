import { londonInstant, londonWallClock } from './london-time.js'

/**
 * The working-day target clock (domain.md "The target clock"). Pure: the caller supplies the
 * non-working dates (bank holidays and the organisation's closure days) as London calendar dates.
 * Everything is computed on Europe/London calendar dates, never by adding 24-hour periods to
 * instants, so the March and October clock changes cannot shift a deadline.
 */
export const LONDON = 'Europe/London'

export interface TargetRule {
  /** Working days allowed after day 0 (default 2). */
  targetDays: number
  /** 'HH:MM' London time; a concern received at or after it counts as received the next day. */
  cutOffTime?: string | null
}

export type NonWorkingDates = ReadonlySet<string>

export function londonDate(instant: Date): string {
  return londonWallClock(instant).date
}

/** A calendar date as midnight UTC: weekdays and day counts of calendar dates need no time zone. */
function calendarDay(isoDate: string): Date {
  const day = new Date(`${isoDate}T00:00:00Z`)
  if (Number.isNaN(day.getTime())) throw new RangeError(`Not a calendar date: ${isoDate}`)
  return day
}

export function isWorkingDay(isoDate: string, nonWorking: NonWorkingDates): boolean {
  const weekday = calendarDay(isoDate).getUTCDay() // 0 = Sunday … 6 = Saturday
  return weekday >= 1 && weekday <= 5 && !nonWorking.has(isoDate)
}

export function addCalendarDays(isoDate: string, days: number): string {
  const day = calendarDay(isoDate)
  day.setUTCDate(day.getUTCDate() + days)
  return day.toISOString().slice(0, 10)
}

/** The nth working day after (not including) the given date. */
export function nthWorkingDayAfter(isoDate: string, n: number, nonWorking: NonWorkingDates): string {
  let date = isoDate
  let counted = 0
  // A bounded walk: no real calendar has 60 consecutive non-working days.
  for (let guard = 0; counted < n; guard++) {
    if (guard > 366 * 5) throw new Error('No working days found in the calendar')
    date = addCalendarDays(date, 1)
    if (isWorkingDay(date, nonWorking)) counted++
  }
  return date
}

/** Day 0: the London date of receipt, moved to the next calendar day after the cut-off time. */
export function dayZero(receivedAt: Date, rule: TargetRule): string {
  const local = londonWallClock(receivedAt)
  if (rule.cutOffTime) {
    const [hours, minutes] = rule.cutOffTime.split(':').map(Number) as [number, number]
    if (local.hour * 60 + local.minute >= hours * 60 + minutes) return addCalendarDays(local.date, 1)
  }
  return local.date
}

/** The last working day of the target: the deadline is the end of this London date. */
export function deadlineDate(receivedAt: Date, rule: TargetRule, nonWorking: NonWorkingDates): string {
  return nthWorkingDayAfter(dayZero(receivedAt, rule), rule.targetDays, nonWorking)
}

/** The deadline instant: 23:59:59.999 Europe/London on the deadline date. */
export function computeDeadline(receivedAt: Date, rule: TargetRule, nonWorking: NonWorkingDates): Date {
  return endOfLondonDay(deadlineDate(receivedAt, rule, nonWorking))
}

export function endOfLondonDay(isoDate: string): Date {
  return londonInstant(isoDate, 23, 59, 59, 999)
}

export function isWithinTarget(addressedAt: Date, dueAt: Date): boolean {
  return addressedAt.getTime() <= dueAt.getTime()
}

/** Working days strictly after `from` up to and including `to` (0 when to <= from). */
export function workingDaysAfter(from: string, to: string, nonWorking: NonWorkingDates): number {
  let count = 0
  let date = from
  while (date < to) {
    date = addCalendarDays(date, 1)
    if (isWorkingDay(date, nonWorking)) count++
  }
  return count
}

export type ClockState = 'on_track' | 'due_today' | 'overdue'

export interface TimeLeft {
  state: ClockState
  /** Working days after today up to the deadline date (0 on the deadline day). */
  workingDaysLeft: number
  /** Whole hours until the deadline instant, when it is today. */
  hoursLeft: number
  /** Working days since the deadline date, when overdue (at least 1 once breached). */
  workingDaysOverdue: number
}

export function timeLeft(now: Date, dueAt: Date, nonWorking: NonWorkingDates): TimeLeft {
  const today = londonDate(now)
  const dueDate = londonDate(dueAt)
  if (now.getTime() > dueAt.getTime()) {
    return {
      state: 'overdue',
      workingDaysLeft: 0,
      hoursLeft: 0,
      workingDaysOverdue: Math.max(1, workingDaysAfter(dueDate, today, nonWorking)),
    }
  }
  if (today === dueDate) {
    return {
      state: 'due_today',
      workingDaysLeft: 0,
      hoursLeft: Math.floor((dueAt.getTime() - now.getTime()) / 3_600_000),
      workingDaysOverdue: 0,
    }
  }
  return { state: 'on_track', workingDaysLeft: workingDaysAfter(today, dueDate, nonWorking), hoursLeft: 0, workingDaysOverdue: 0 }
}

/** Words for the clock, used by queues and case pages alike. */
export function describeTimeLeft(t: TimeLeft): string {
  switch (t.state) {
    case 'overdue':
      return `Overdue by ${plural(t.workingDaysOverdue, 'working day')}`
    case 'due_today':
      return t.hoursLeft >= 1 ? `Due today (${plural(t.hoursLeft, 'hour')} left)` : 'Due today (less than an hour left)'
    case 'on_track':
      return `${plural(t.workingDaysLeft, 'working day')} left`
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
