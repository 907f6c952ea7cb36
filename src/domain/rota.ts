import { DateTime } from 'luxon'
import { addCalendarDays, isWorkingDay, LONDON, type NonWorkingDates } from './working-days.js'

/** The duty rota: which DSOs take new concerns on each working day. Pure rules, no I/O. */

export interface Absence {
  userId: string
  startsOn: string
  endsOn: string
}

export function isAbsent(userId: string, date: string, absences: readonly Absence[]): boolean {
  return absences.some((a) => a.userId === userId && a.startsOn <= date && date <= a.endsOn)
}

/** 'YYYY-MM' → the first and last dates of that month. */
export function monthRange(month: string): { first: string; last: string } {
  const start = DateTime.fromISO(`${month}-01`, { zone: LONDON })
  return { first: start.toISODate()!, last: start.endOf('month').toISODate()! }
}

export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) && Number(value.slice(0, 4)) >= 2000 && Number(value.slice(0, 4)) <= 2100
}

export function shiftMonth(month: string, by: number): string {
  return DateTime.fromISO(`${month}-01`, { zone: LONDON }).plus({ months: by }).toFormat('yyyy-MM')
}

export function workingDaysBetween(first: string, last: string, nonWorking: NonWorkingDates): string[] {
  const days: string[] = []
  for (let d = first; d <= last; d = addCalendarDays(d, 1)) if (isWorkingDay(d, nonWorking)) days.push(d)
  return days
}

export interface RotationInput {
  /** Working days to fill, in order. */
  dates: readonly string[]
  /** Active DSOs, in a stable order (the tie-break). */
  dsoIds: readonly string[]
  absences: readonly Absence[]
  /** DSOs on duty each day. */
  perDay: number
  /** Duties already held in the look-back period, so fairness carries across months. */
  priorDuties?: ReadonlyMap<string, number>
}

/**
 * A fair rotation: each day takes the available DSOs who have had the fewest duties so far, ties
 * going to whoever has waited longest since their last duty, then to list order. Absent DSOs
 * are skipped; a day nobody can cover is left empty (and flagged to the manager).
 */
export function generateRotation(input: RotationInput): Map<string, string[]> {
  const counts = new Map(input.dsoIds.map((id) => [id, input.priorDuties?.get(id) ?? 0]))
  const lastDuty = new Map<string, number>(input.dsoIds.map((id) => [id, -1]))
  const result = new Map<string, string[]>()
  input.dates.forEach((date, index) => {
    const available = input.dsoIds.filter((id) => !isAbsent(id, date, input.absences))
    const chosen = [...available]
      .sort((a, b) => counts.get(a)! - counts.get(b)! || lastDuty.get(a)! - lastDuty.get(b)! || input.dsoIds.indexOf(a) - input.dsoIds.indexOf(b))
      .slice(0, input.perDay)
    for (const id of chosen) {
      counts.set(id, counts.get(id)! + 1)
      lastDuty.set(id, index)
    }
    result.set(date, chosen)
  })
  return result
}

export interface CalendarCell {
  date: string
  day: number
  inMonth: boolean
  working: boolean
  today: boolean
}

/** Weeks (Monday first) covering a month, for the calendar grid. */
export function monthGrid(month: string, nonWorking: NonWorkingDates, today: string): CalendarCell[][] {
  const { first, last } = monthRange(month)
  const start = DateTime.fromISO(first, { zone: LONDON }).startOf('week')
  const end = DateTime.fromISO(last, { zone: LONDON }).endOf('week')
  const weeks: CalendarCell[][] = []
  for (let d = start; d <= end; d = d.plus({ weeks: 1 })) {
    weeks.push(
      Array.from({ length: 7 }, (_, i) => {
        const date = d.plus({ days: i }).toISODate()!
        return { date, day: Number(date.slice(8)), inMonth: date >= first && date <= last, working: isWorkingDay(date, nonWorking), today: date === today }
      }),
    )
  }
  return weeks
}
