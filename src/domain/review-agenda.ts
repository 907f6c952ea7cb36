import { DateTime } from 'luxon'
import type { ConcernStatus, ReviewFlag, ReviewKind } from '../db/schema.js'
import { addCalendarDays, endOfLondonDay, londonDate } from './working-days.js'

/**
 * The weekly case review agenda (seed 000 §4.3). For every open case, exactly one line:
 *
 * - **Final Review** when the Lead DSO has marked it ready for closure and no Final Review has
 *   agreed it since. (A case marked ready before its First Review gets this one review, which
 *   serves as both.)
 * - **First Review** when it was addressed (initial decision recorded) and has never been
 *   reviewed: the cases addressed since the last meeting, plus any whose First Review a past
 *   meeting did not record (flagged "carried over").
 * - **Progress check** otherwise, flagged when a task or an onward-referral follow-up is overdue
 *   or nothing has happened on the case for 14 days.
 *
 * Everything is judged as of the meeting date, or today if the meeting is later (the future is
 * not known yet). Cases waiting for triage, awaiting a closure decision or closed are not listed.
 */
export const INACTIVE_DAYS = 14

export interface AgendaCase {
  id: string
  reference: string
  status: ConcernStatus
  addressedAt: Date | null
  readyForClosureAt: Date | null
  /** A First or Final Review has been recorded for it at some meeting. */
  reviewed: boolean
  /** A Final Review recorded since it was marked ready agreed it (it now waits for the closure request). */
  finalReviewAgreed: boolean
  /** The most recent thing that happened on the case (note, task, document, referral, chronology), if any. */
  lastActivityAt: Date | null
  /** Tasks not done whose due date is before the as-of date. */
  overdueTasks: number
  /** Onward referrals with no outcome whose follow-up date is before the as-of date. */
  overdueFollowUps: number
}

export interface AgendaLine {
  concernId: string
  kind: ReviewKind
  flags: ReviewFlag[]
}

/** The date the agenda is judged on: the meeting date, or today when the meeting is still ahead. */
export function agendaAsOf(meetingDate: string, today: string): string {
  return meetingDate < today ? meetingDate : today
}

export function isInactive(lastActivityAt: Date | null, asOf: string): boolean {
  if (!lastActivityAt) return true
  return londonDate(lastActivityAt) <= addCalendarDays(asOf, -INACTIVE_DAYS)
}

const KIND_ORDER: Record<ReviewKind, number> = { first_review: 0, final_review: 1, progress_check: 2 }

export function buildAgenda(cases: readonly AgendaCase[], options: { meetingDate: string; lastMeetingDate: string | null; today: string }): AgendaLine[] {
  const asOf = agendaAsOf(options.meetingDate, options.today)
  const cutOff = endOfLondonDay(asOf).getTime()
  const lines: (AgendaLine & { reference: string })[] = []
  for (const c of cases) {
    if (c.status !== 'open' || !c.addressedAt || c.addressedAt.getTime() > cutOff) continue
    if (c.readyForClosureAt && c.readyForClosureAt.getTime() <= cutOff && !c.finalReviewAgreed) {
      lines.push({ concernId: c.id, reference: c.reference, kind: 'final_review', flags: [] })
      continue
    }
    if (!c.reviewed) {
      const carriedOver = options.lastMeetingDate !== null && londonDate(c.addressedAt) <= options.lastMeetingDate
      lines.push({ concernId: c.id, reference: c.reference, kind: 'first_review', flags: carriedOver ? ['carried_over'] : [] })
      continue
    }
    const flags: ReviewFlag[] = []
    if (c.overdueTasks > 0) flags.push('overdue_task')
    if (c.overdueFollowUps > 0) flags.push('overdue_follow_up')
    if (isInactive(c.lastActivityAt, asOf)) flags.push('inactive')
    lines.push({ concernId: c.id, reference: c.reference, kind: 'progress_check', flags })
  }
  // First Reviews, then Final Reviews, then progress checks with something flagged, then the rest.
  lines.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || Number(b.flags.length > 0) - Number(a.flags.length > 0) || a.reference.localeCompare(b.reference))
  return lines.map(({ concernId, kind, flags }) => ({ concernId, kind, flags }))
}

export const REVIEW_KIND_LABELS: Record<ReviewKind, string> = {
  first_review: 'First Review',
  progress_check: 'Progress check',
  final_review: 'Final Review',
}

export const REVIEW_FLAG_LABELS: Record<ReviewFlag, string> = {
  overdue_task: 'Task overdue',
  overdue_follow_up: 'Referral follow-up overdue',
  inactive: `Nothing for ${INACTIVE_DAYS} days`,
  carried_over: 'Carried over',
}

export const REVIEW_OUTCOMES = [
  { value: 'agreed', text: 'Agreed', hint: 'The case is being managed well; nothing more is needed now' },
  { value: 'actions_set', text: 'Actions set', hint: 'Each action becomes a task with an owner and a due date' },
  { value: 'escalate', text: 'Escalate', hint: 'The Senior Lead Officer is told at once' },
] as const

export const REVIEW_OUTCOME_LABELS: Record<string, string> = Object.fromEntries(REVIEW_OUTCOMES.map((o) => [o.value, o.text]))

/**
 * A meeting date must follow the latest meeting already held or planned, may be up to 7 days in
 * the past (recording a meeting after the event) and at most 3 months ahead.
 */
export function meetingDateProblem(date: string, today: string, latestMeetingDate: string | null): string | null {
  if (date < addCalendarDays(today, -7)) return 'The meeting date must be within the last 7 days or in the future'
  if (date > addCalendarDays(today, 92)) return 'The meeting date must be within the next 3 months'
  if (latestMeetingDate && date <= latestMeetingDate) return `The meeting date must be after the last meeting (${DateTime.fromISO(latestMeetingDate).toFormat('d MMMM yyyy')})`
  return null
}
