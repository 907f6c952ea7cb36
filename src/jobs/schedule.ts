import { DateTime } from 'luxon'
import { LONDON } from '../domain/working-days.js'

/** When a job runs: daily at a London wall-clock time, or every so many seconds. */
export type Schedule = { kind: 'daily'; at: string } | { kind: 'every'; seconds: number }

function londonTimeOn(date: DateTime, at: string): DateTime {
  const [hour, minute] = at.split(':').map(Number) as [number, number]
  return date.set({ hour, minute, second: 0, millisecond: 0 })
}

/** The next run strictly after `after`. Daily times follow London wall-clock time across clock changes. */
export function nextRunAfter(schedule: Schedule, after: Date): Date {
  if (schedule.kind === 'every') return new Date(after.getTime() + schedule.seconds * 1000)
  const local = DateTime.fromJSDate(after, { zone: LONDON })
  const today = londonTimeOn(local, schedule.at)
  return (today > local ? today : londonTimeOn(local.plus({ days: 1 }), schedule.at)).toJSDate()
}

/**
 * The first run when a job is first registered. A daily job started the same morning, within
 * five hours of its time, still runs today (so a server restarted at 9am still sends the 7am
 * reminders); otherwise it waits for its next time.
 */
export function firstRun(schedule: Schedule, now: Date): Date {
  if (schedule.kind === 'every') return now
  const local = DateTime.fromJSDate(now, { zone: LONDON })
  const today = londonTimeOn(local, schedule.at)
  if (today <= local && local < today.plus({ hours: 5 })) return today.toJSDate()
  return nextRunAfter(schedule, now)
}
