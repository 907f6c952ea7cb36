import type { ReminderCounts } from '../services/notification-messages.js'
import { londonDate } from './working-days.js'

/**
 * Who the start-of-day reminder goes to, and what it counts: each concern due today or overdue
 * goes to its Lead DSO (or, while unallocated, to today's duty DSOs); overdue referral outcomes
 * go to the Lead DSO; safeguarding managers hear about everything — except a restricted case,
 * which only the people named on it are counted.
 */
export interface WaitingConcern {
  dueAt: Date
  leadId: string | null
  /** For a restricted case, the people named on it: nobody else is counted it (issue 4). */
  namedIds?: readonly string[] | null
}

export interface OverdueFollowUp {
  leadId: string | null
  namedIds?: readonly string[] | null
}

export function reminderCounts(today: string, concerns: readonly WaitingConcern[], followUps: readonly OverdueFollowUp[], dutyIds: readonly string[], managerIds: readonly string[]): Map<string, ReminderCounts> {
  const counts = new Map<string, ReminderCounts>()
  const add = (userId: string, field: keyof ReminderCounts) => {
    const c = counts.get(userId) ?? { dueToday: 0, overdue: 0, followUpsOverdue: 0 }
    c[field]++
    counts.set(userId, c)
  }
  const addAll = (ids: Iterable<string>, field: keyof ReminderCounts, namedIds?: readonly string[] | null) => {
    for (const id of new Set(ids)) if (!namedIds || namedIds.includes(id)) add(id, field)
  }
  for (const c of concerns) {
    const dueDate = londonDate(c.dueAt)
    if (dueDate > today) continue
    const field = dueDate < today ? 'overdue' : 'dueToday'
    addAll([...(c.leadId ? [c.leadId] : dutyIds), ...managerIds], field, c.namedIds)
  }
  for (const f of followUps) addAll([...(f.leadId ? [f.leadId] : []), ...managerIds], 'followUpsOverdue', f.namedIds)
  return counts
}
