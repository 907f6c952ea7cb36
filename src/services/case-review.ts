import type { AppDeps, SignedInContext } from '../context.js'
import type { ReviewOutcome } from '../db/schema.js'
import type { Problem } from '../domain/allocation-rules.js'
import { agendaAsOf, buildAgenda, meetingDateProblem, REVIEW_KIND_LABELS, REVIEW_OUTCOME_LABELS } from '../domain/review-agenda.js'
import { londonDate } from '../domain/working-days.js'
import { newId } from '../ids.js'
import { paths } from '../paths.js'
import { findVisibleConcern } from '../repositories/concern-repository.js'
import { clearReadyForClosure } from '../repositories/closure-repository.js'
import type { Executor } from '../repositories/executor.js'
import { listUsersWithRole } from '../repositories/restriction-repository.js'
import {
  agendaCandidates,
  allItemConcernIds,
  completeMeeting as completeMeetingRow,
  deleteItems,
  findMeeting,
  findMeetingBySubmissionKey,
  findMeetingItem,
  insertAgendaItems,
  insertMeeting,
  latestMeetingDate,
  listPossibleAttendees,
  maxItemPosition,
  recordItemOutcome,
  REVIEW_CHRONOLOGY_CATEGORY,
  touchMeeting,
  unrecordedItems,
} from '../repositories/review-repository.js'
import { listAssignableUsers } from '../repositories/task-repository.js'
import { formatDate } from '../views.js'
import { audit } from './audit.js'
import { reviewEscalationMessage } from './case-messages.js'
import { caseTransaction, Rollback, type CaseOutcome } from './case-outcome.js'
import { createTask } from './case-tasks.js'
import { chronicle } from './chronology.js'
import { notifyPerson } from './notifications.js'

/** The agenda lines the rules give for a meeting date, for the cases the organiser may see. */
async function agendaFor(tx: Executor, ctx: SignedInContext, meetingDate: string) {
  const today = londonDate(ctx.now())
  const cases = await agendaCandidates(tx, ctx.user.organisationId, ctx.user.id, agendaAsOf(meetingDate, today))
  const lastMeetingDate = await latestMeetingDate(tx, ctx.user.organisationId, meetingDate)
  return buildAgenda(cases, { meetingDate, lastMeetingDate, today })
}

/**
 * A manager creates the weekly meeting: its date and attendees, and Kestrel builds the agenda
 * from the rules in domain/review-agenda.ts. A double submit creates one meeting.
 */
export async function createMeeting(deps: AppDeps, ctx: SignedInContext, input: { meetingDate: string; attendeeIds: string[]; submissionKey: string }): Promise<CaseOutcome<'meetingDate' | 'attendeeIds'>> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    const existing = await findMeetingBySubmissionKey(tx, organisationId, input.submissionKey)
    if (existing) return { kind: 'done', id: existing.id }
    const problems: Problem<'meetingDate' | 'attendeeIds'>[] = []
    const dateProblem = meetingDateProblem(input.meetingDate, londonDate(ctx.now()), await latestMeetingDate(tx, organisationId))
    if (dateProblem) problems.push({ field: 'meetingDate', message: dateProblem })
    const possible = new Set((await listPossibleAttendees(tx, organisationId)).map((u) => u.id))
    if (input.attendeeIds.length === 0) problems.push({ field: 'attendeeIds', message: 'Select who is attending the meeting' })
    else if (input.attendeeIds.some((id) => !possible.has(id))) problems.push({ field: 'attendeeIds', message: 'Select attendees from the list' })
    if (problems.length) return { kind: 'invalid', problems }
    const id = newId()
    const created = await insertMeeting(tx, { organisationId, id, meetingDate: input.meetingDate, createdBy: ctx.user.id, createdAt: ctx.now(), submissionKey: input.submissionKey, attendeeIds: input.attendeeIds })
    if (created === 'date_taken') return { kind: 'invalid', problems: [{ field: 'meetingDate', message: 'There is already a meeting on that date' }] }
    if (created === 'duplicate_key') return { kind: 'done', id: (await findMeetingBySubmissionKey(tx, organisationId, input.submissionKey))!.id }
    const lines = await agendaFor(tx, ctx, input.meetingDate)
    await insertAgendaItems(tx, organisationId, id, lines.map((l, i) => ({ id: newId(), concernId: l.concernId, kind: l.kind, flags: l.flags, position: i + 1 })))
    await audit(tx, ctx, { action: 'review.create', recordType: 'review_meeting', recordId: id, details: { attendees: input.attendeeIds.length, items: lines.length, first_reviews: lines.filter((l) => l.kind === 'first_review').length, final_reviews: lines.filter((l) => l.kind === 'final_review').length } })
    return { kind: 'done', id }
  })
}

/**
 * Before or during the meeting: adds cases that now qualify (addressed or marked ready since the
 * agenda was built) and drops undiscussed lines that no longer do. Recorded outcomes never change.
 */
export async function rebuildAgenda(deps: AppDeps, ctx: SignedInContext, meetingId: string, expectedVersion: number): Promise<CaseOutcome> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    const meeting = await findMeeting(tx, organisationId, meetingId)
    if (!meeting) return { kind: 'not_found' }
    if (meeting.completed_at) return { kind: 'refused', reason: 'This meeting is finished; its minutes cannot change.' }
    if (!(await touchMeeting(tx, organisationId, meetingId, expectedVersion))) return { kind: 'conflict' }
    const lines = await agendaFor(tx, ctx, meeting.meeting_date)
    const wanted = new Map(lines.map((l) => [l.concernId, l]))
    const stale = (await unrecordedItems(tx, organisationId, meetingId)).filter((i) => wanted.get(i.concern_id)?.kind !== i.kind)
    await deleteItems(tx, organisationId, stale.map((i) => i.id))
    const present = await allItemConcernIds(tx, organisationId, meetingId)
    const start = await maxItemPosition(tx, organisationId, meetingId)
    const added = lines.filter((l) => !present.has(l.concernId))
    await insertAgendaItems(tx, organisationId, meetingId, added.map((l, i) => ({ id: newId(), concernId: l.concernId, kind: l.kind, flags: l.flags, position: start + i + 1 })))
    await audit(tx, ctx, { action: 'review.rebuild', recordType: 'review_meeting', recordId: meetingId, details: { added: added.length, removed: stale.length } })
    return { kind: 'done' }
  })
}

export interface ReviewAction {
  title: string
  assigneeId: string
  dueOn: string
  submissionKey: string
}

export type OutcomeField = 'outcome' | 'notes' | 'actions'

/**
 * Records what the meeting agreed for one case: the outcome and notes; each action becomes a
 * task; an escalation tells the Senior Lead Officer. A Final Review that does not agree closure
 * sends the case back to work (it must be marked ready again). Version-checked per agenda line.
 */
export async function recordReview(deps: AppDeps, ctx: SignedInContext, meetingId: string, itemId: string, expectedVersion: number, input: { outcome: ReviewOutcome; notes: string | null; actions: ReviewAction[] }): Promise<CaseOutcome<OutcomeField>> {
  const organisationId = ctx.user.organisationId
  const now = ctx.now()
  return caseTransaction(deps, async (tx) => {
    const meeting = await findMeeting(tx, organisationId, meetingId)
    if (!meeting) return { kind: 'not_found' }
    const item = await findMeetingItem(tx, organisationId, meetingId, itemId, ctx.user.id)
    if (!item) return { kind: 'not_found' }
    if (meeting.completed_at) return { kind: 'refused', reason: 'This meeting is finished; its minutes cannot change.' }
    // The same form sent twice (a double click): the first one recorded it, so this one is done.
    if (item.version === expectedVersion + 1 && item.recorded_by === ctx.user.id && item.outcome === input.outcome && item.notes === input.notes) return { kind: 'done' }
    if (item.version !== expectedVersion) return { kind: 'conflict' }
    const concern = await findVisibleConcern(tx, organisationId, item.concern_id, ctx.user.id, now)
    if (!concern) return { kind: 'not_found' }
    if (concern.status !== 'open') return { kind: 'refused', reason: 'This case is no longer open, so its review cannot be recorded.' }
    if (input.outcome === 'actions_set') {
      const assignable = new Set((await listAssignableUsers(tx, organisationId)).map((u) => u.id))
      if (input.actions.some((a) => !assignable.has(a.assigneeId))) return { kind: 'invalid', problems: [{ field: 'actions', message: 'Select who will do each action' }] }
    }
    if (!(await recordItemOutcome(tx, organisationId, itemId, expectedVersion, input.outcome, input.notes, ctx.user.id, now))) return { kind: 'conflict' }
    const taskIds: string[] = []
    if (input.outcome === 'actions_set') {
      for (const action of input.actions) {
        const id = await createTask(tx, deps, ctx, concern, { title: action.title, details: null, assigneeId: action.assigneeId, dueOn: action.dueOn, submissionKey: action.submissionKey, reviewItemId: itemId })
        if (!id) throw new Rollback({ kind: 'conflict' })
        taskIds.push(id)
      }
    }
    const label = REVIEW_KIND_LABELS[item.kind]
    const meetingDate = formatDate(meeting.meeting_date)
    await chronicle(tx, ctx, concern.id, REVIEW_CHRONOLOGY_CATEGORY, `${label} at the weekly case review on ${meetingDate}: ${REVIEW_OUTCOME_LABELS[input.outcome]}.${taskIds.length ? ` ${taskIds.length === 1 ? 'One action' : `${taskIds.length} actions`} set.` : ''}`, { significant: item.kind !== 'progress_check' || input.outcome === 'escalate' })
    if (item.kind === 'final_review' && input.outcome !== 'agreed') await clearReadyForClosure(tx, organisationId, concern.id)
    await audit(tx, ctx, { action: 'review.record', recordType: 'concern', recordId: concern.id, details: { meeting_id: meetingId, review_item_id: itemId, kind: item.kind, outcome: input.outcome, task_ids: taskIds } })
    if (input.outcome === 'escalate') {
      for (const slo of await listUsersWithRole(tx, organisationId, 'senior_lead_officer')) {
        await notifyPerson(tx, organisationId, { id: slo.id, email: slo.email }, reviewEscalationMessage(concern.reference, meetingDate, `${deps.config.publicUrl}${paths.concernReviews(concern.id)}`), { concernId: concern.id, href: paths.concernReviews(concern.id), now })
      }
    }
    return { kind: 'done' }
  })
}

/** Finishes the meeting: its minutes are fixed. Cases not discussed come back next time. */
export async function completeMeeting(deps: AppDeps, ctx: SignedInContext, meetingId: string, expectedVersion: number): Promise<CaseOutcome> {
  return caseTransaction(deps, async (tx) => {
    const meeting = await findMeeting(tx, ctx.user.organisationId, meetingId)
    if (!meeting) return { kind: 'not_found' }
    if (meeting.completed_at) return { kind: 'refused', reason: 'This meeting is already finished.' }
    if (!(await completeMeetingRow(tx, ctx.user.organisationId, meetingId, expectedVersion, ctx.user.id, ctx.now()))) return { kind: 'conflict' }
    await audit(tx, ctx, { action: 'review.complete', recordType: 'review_meeting', recordId: meetingId })
    return { kind: 'done' }
  })
}
