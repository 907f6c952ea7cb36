import { londonInstant, londonWallClock } from './london-time.js'

/** "14:30", "9:05", "2:30pm" or "2pm" → minutes after midnight; undefined when not a real time. */
export function parseTimeOfDay(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '')
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(t)
  if (!m) return undefined
  let hour = Number(m[1])
  const minute = m[2] === undefined ? 0 : Number(m[2])
  if (m[2] === undefined && !m[3]) return undefined
  if (minute > 59) return undefined
  if (m[3]) {
    if (hour < 1 || hour > 12) return undefined
    hour = (hour % 12) + (m[3] === 'pm' ? 12 : 0)
  } else if (hour > 23) return undefined
  return hour * 60 + minute
}

/**
 * A London date and a wall-clock time typed on a form (minutes after midnight) as an instant. Read
 * on the clock: on the day the clocks change, 14:00 is 14:00 summer time, not 14 hours after midnight.
 */
export function atLondonTime(isoDate: string, minutes: number): Date {
  return londonInstant(isoDate, Math.floor(minutes / 60), minutes % 60)
}

/** The London wall-clock time of an instant, as "14:30". */
export function londonTime(instant: Date): string {
  const { hour, minute } = londonWallClock(instant)
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
}
