import { IANAZone } from 'luxon'

/**
 * Europe/London wall-clock time, fast. Converting through Intl, as a luxon DateTime in a zone does
 * on every call, costs tens of microseconds; pages (every date and clock), imports and report
 * refreshes (several per concern) make hundreds of thousands of these. London's offset is
 * looked up from luxon once per UTC day and reused, except on the days the clocks change, which
 * are looked up on each call.
 */
const ZONE = IANAZone.create('Europe/London')
const MINUTE = 60_000
const DAY = 86_400_000
const dayOffsets = new Map<number, number | null>()

/** London's offset from UTC, in minutes, at an instant (0 in winter, 60 in summer). */
export function londonOffsetMinutes(ms: number): number {
  const day = Math.floor(ms / DAY)
  let offset = dayOffsets.get(day)
  if (offset === undefined) {
    const atStart = ZONE.offset(day * DAY)
    // null: the clocks change during this day.
    offset = atStart === ZONE.offset(day * DAY + DAY - 1) ? atStart : null
    if (dayOffsets.size >= 100_000) dayOffsets.clear()
    dayOffsets.set(day, offset)
  }
  return offset ?? ZONE.offset(ms)
}

export interface LondonWallClock {
  /** The London calendar date, '2026-11-24'. */
  date: string
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

/** What a clock in London showed at an instant. */
export function londonWallClock(instant: Date): LondonWallClock {
  const ms = instant.getTime()
  const local = new Date(ms + londonOffsetMinutes(ms) * MINUTE)
  return {
    date: local.toISOString().slice(0, 10),
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  }
}

/**
 * The instant a London date and wall-clock time name. A time that happens twice (the hour repeated
 * in October) is the first of the two; one that never happens (the hour skipped in March) is read
 * on the clock before the change, so 01:30 is 02:30 summer time.
 */
export function londonInstant(isoDate: string, hour = 0, minute = 0, second = 0, millisecond = 0): Date {
  const wall = new Date(`${isoDate}T00:00:00Z`).getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
  if (Number.isNaN(wall)) throw new RangeError(`Not a calendar date: ${isoDate}`)
  // The offsets a day either side: the same except near a change of the clocks.
  const before = londonOffsetMinutes(wall - DAY)
  const after = londonOffsetMinutes(wall + DAY)
  const early = wall - Math.max(before, after) * MINUTE
  const late = wall - Math.min(before, after) * MINUTE
  if (londonOffsetMinutes(early) === Math.max(before, after)) return new Date(early)
  if (londonOffsetMinutes(late) === Math.min(before, after)) return new Date(late)
  return new Date(wall - before * MINUTE)
}
