import type { SignedInContext } from '../../context.js'
import type { ReviewKind } from '../../db/schema.js'
import { REVIEW_FLAG_LABELS, REVIEW_KIND_LABELS, REVIEW_OUTCOME_LABELS } from '../../domain/review-agenda.js'
import type { Executor } from '../../repositories/executor.js'
import { findMeeting, listAttendees, listMeetingItems } from '../../repositories/review-repository.js'
import { audit } from '../../services/audit.js'

const SECTIONS: { kind: ReviewKind; heading: string; hint: string }[] = [
  { kind: 'first_review', heading: 'First Reviews', hint: 'Cases addressed since the last meeting (and any whose First Review was not recorded).' },
  { kind: 'final_review', heading: 'Final Reviews', hint: 'Cases the Lead DSO has marked ready for closure.' },
  { kind: 'progress_check', heading: 'Progress checks', hint: 'Every other open case. Flagged: an overdue task or referral follow-up, or nothing for 14 days.' },
]

/** A meeting with its agenda grouped for display, read and audited in the caller's transaction. */
export async function loadMeeting(tx: Executor, ctx: SignedInContext, meetingId: string, action: string) {
  const meeting = await findMeeting(tx, ctx.user.organisationId, meetingId)
  if (!meeting) return undefined
  const attendees = await listAttendees(tx, ctx.user.organisationId, meetingId)
  const items = await listMeetingItems(tx, ctx.user.organisationId, meetingId, ctx.user.id)
  await audit(tx, ctx, { action, recordType: 'review_meeting', recordId: meetingId, details: { concern_ids: items.map((i) => i.concern_id) } })
  const view = items.map((i) => ({ ...i, kindLabel: REVIEW_KIND_LABELS[i.kind], flagLabels: i.flags.map((f) => REVIEW_FLAG_LABELS[f]), outcomeLabel: i.outcome ? REVIEW_OUTCOME_LABELS[i.outcome] : undefined }))
  return {
    meeting,
    attendees,
    total: items.length,
    recorded: items.filter((i) => i.outcome).length,
    sections: SECTIONS.map((s) => ({ ...s, items: view.filter((i) => i.kind === s.kind) })),
  }
}
