import { addCalendarDays, computeDeadline, londonDate, type NonWorkingDates, type TargetRule } from '../domain/working-days.js'
import { nonWorkingDates } from '../repositories/calendar-repository.js'
import { listUnaddressedForDeadline, setDueAt } from '../repositories/concern-repository.js'
import type { Executor } from '../repositories/executor.js'
import { findOrganisation } from '../repositories/organisation-repository.js'

export async function organisationRule(db: Executor, organisationId: string): Promise<TargetRule> {
  const org = await findOrganisation(db, organisationId)
  if (!org) throw new Error('Unknown organisation')
  return { targetDays: org.target_working_days, cutOffTime: org.cut_off_time }
}

/** Non-working dates around an instant: enough to compute any deadline or time-left near it. */
export async function calendarAround(db: Executor, organisationId: string, from: Date, to: Date = from): Promise<NonWorkingDates> {
  return nonWorkingDates(db, organisationId, addCalendarDays(londonDate(from), -60), addCalendarDays(londonDate(to), 120))
}

export async function deadlineFor(db: Executor, organisationId: string, receivedAt: Date): Promise<Date> {
  const [rule, calendar] = await Promise.all([organisationRule(db, organisationId), calendarAround(db, organisationId, receivedAt)])
  return computeDeadline(receivedAt, rule, calendar)
}

/**
 * After the calendar changes (a closure day added or removed), concerns still waiting get the
 * deadline the rule now gives. Addressed concerns keep theirs: they were judged against it.
 */
export async function recomputeOpenDeadlines(db: Executor, organisationId: string, now: Date): Promise<string[]> {
  const waiting = await listUnaddressedForDeadline(db, organisationId)
  if (waiting.length === 0) return []
  const rule = await organisationRule(db, organisationId)
  const earliest = waiting.reduce((min, c) => (c.received_at < min ? c.received_at : min), waiting[0]!.received_at)
  const calendar = await calendarAround(db, organisationId, earliest, now)
  const changed: string[] = []
  for (const c of waiting) {
    const due = computeDeadline(c.received_at, rule, calendar)
    if (due.getTime() !== c.due_at.getTime()) {
      await setDueAt(db, organisationId, c.id, due)
      changed.push(c.id)
    }
  }
  return changed
}
