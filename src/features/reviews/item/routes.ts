import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import type { ReviewOutcome } from '../../../db/schema.js'
import { REVIEW_FLAG_LABELS, REVIEW_KIND_LABELS, REVIEW_OUTCOMES } from '../../../domain/review-agenda.js'
import { londonDate } from '../../../domain/working-days.js'
import { exactText, fieldValue, lineText } from '../../../forms.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { isUuid, newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { findMeeting, findMeetingItem } from '../../../repositories/review-repository.js'
import { listAssignableUsers } from '../../../repositories/task-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { recordReview, type ReviewAction } from '../../../services/case-review.js'
import { problemsToErrors, versionFrom } from '../../case-record/case-page.js'
import { checkDueDate } from '../../case-record/task-new/schema.js'

const ACTION_SLOTS = [1, 2, 3] as const
const notesSchema = exactText({ label: 'The notes', max: 4000 })
const titleSchema = lineText({ label: 'The action', max: 200 })

/**
 * Recording one case's outcome at the meeting: agreed, actions set (each action becomes a task
 * with an owner and a due date) or escalate (the Senior Lead Officer is told), with notes.
 */
export function itemRoutes(deps: AppDeps): RouteSpec[] {
  function ids(req: Request) {
    const { id, itemId } = req.params
    if (!isUuid(id) || !isUuid(itemId)) throw new NotFound()
    return { meetingId: id, itemId }
  }

  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const { meetingId, itemId } = ids(req)
    const found = await deps.database.db.transaction().execute(async (tx) => {
      const meeting = await findMeeting(tx, ctx.user.organisationId, meetingId)
      const item = meeting ? await findMeetingItem(tx, ctx.user.organisationId, meetingId, itemId, ctx.user.id) : undefined
      if (!meeting || !item) return undefined
      const people = await listAssignableUsers(tx, ctx.user.organisationId)
      await audit(tx, ctx, { action: 'concern.view', recordType: 'concern', recordId: item.concern_id, details: { meeting_id: meetingId, review_item_id: itemId, form: 'review' } })
      return { meeting, item, people }
    })
    if (!found) throw new NotFound()
    const { meeting, item, people } = found
    const v: Record<string, string> = { outcome: item.outcome ?? '', notes: item.notes ?? '', version: String(item.version), ...values }
    for (const n of ACTION_SLOTS) v[`action${n}Key`] ||= newId()
    res.status(status).render('reviews/item/view.njk', {
      activeNav: 'reviews',
      meeting,
      item: { ...item, kindLabel: REVIEW_KIND_LABELS[item.kind], flagLabels: item.flags.map((f) => REVIEW_FLAG_LABELS[f]) },
      closed: meeting.completed_at !== null || item.status !== 'open',
      outcomeItems: REVIEW_OUTCOMES.map((o) => ({ value: o.value, text: o.text, hint: { text: o.hint }, checked: v.outcome === o.value })),
      slots: ACTION_SLOTS.map((n) => ({ n, assigneeItems: [{ value: '', text: 'Choose someone' }, ...people.map((p) => ({ value: p.id, text: p.display_name, selected: v[`action${n}Assignee`] === p.id }))] })),
      values: v,
      errors,
    })
  }

  return [
    { method: 'get', path: paths.reviewItem(':id', ':itemId'), action: 'reviews:manage', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.reviewItem(':id', ':itemId'),
      action: 'reviews:manage',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const { meetingId, itemId } = ids(req)
        const body = req.body as Record<string, unknown>
        const values: Record<string, string> = { outcome: fieldValue(body, 'outcome'), notes: fieldValue(body, 'notes'), version: fieldValue(body, 'version') }
        for (const n of ACTION_SLOTS) for (const k of ['Title', 'Assignee', 'Key', 'Due-day', 'Due-month', 'Due-year']) values[`action${n}${k}`] = fieldValue(body, `action${n}${k}`)
        const problems: { field: string; message: string }[] = []
        const outcome = REVIEW_OUTCOMES.find((o) => o.value === values.outcome)?.value as ReviewOutcome | undefined
        if (!outcome) problems.push({ field: 'outcome', message: 'Select the outcome' })
        const notes = notesSchema.safeParse(body.notes)
        if (!notes.success) problems.push({ field: 'notes', message: notes.error.issues[0]!.message })
        else if (outcome === 'escalate' && !notes.data) problems.push({ field: 'notes', message: 'Enter why the case is being escalated' })
        const actions: ReviewAction[] = []
        if (outcome === 'actions_set') {
          const today = londonDate(ctx.now())
          for (const n of ACTION_SLOTS) {
            const title = titleSchema.safeParse(body[`action${n}Title`])
            const touched = [values[`action${n}Title`], values[`action${n}Assignee`], values[`action${n}Due-day`]].some((x) => x)
            if (!touched && n > 1) continue
            if (!title.success) problems.push({ field: `action${n}Title`, message: `Action ${n}: ${title.error.issues[0]!.message.toLowerCase()}` })
            else if (!title.data) problems.push({ field: `action${n}Title`, message: `Action ${n}: enter what needs to be done` })
            if (!isUuid(values[`action${n}Assignee`])) problems.push({ field: `action${n}Assignee`, message: `Action ${n}: select who will do it` })
            const due = checkDueDate(body, `action${n}Due`, today, `The due date of action ${n}`)
            if (due.kind !== 'ok') problems.push({ field: `action${n}Due`, message: due.kind === 'error' ? due.message : `Enter the due date of action ${n}` })
            if (title.success && title.data && isUuid(values[`action${n}Assignee`]) && due.kind === 'ok') {
              actions.push({ title: title.data, assigneeId: values[`action${n}Assignee`]!, dueOn: due.iso, submissionKey: isUuid(values[`action${n}Key`]) ? values[`action${n}Key`]! : newId() })
            }
          }
        }
        if (problems.length || !outcome || !notes.success) return render(req, res, 400, values, problemsToErrors(problems, { outcome: '#outcome', ...Object.fromEntries(ACTION_SLOTS.map((n) => [`action${n}Due`, `#action${n}Due-day`])) }))
        const result = await recordReview(deps, ctx, meetingId, itemId, versionFrom(body), { outcome, notes: notes.data, actions })
        if (result.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The outcome has been recorded.' }
          return res.redirect(303, paths.review(meetingId))
        }
        if (result.kind === 'not_found') throw new NotFound()
        if (result.kind === 'conflict') throw new ConcurrencyConflict(paths.reviewItem(meetingId, itemId), 'case')
        if (result.kind === 'invalid') return render(req, res, 400, values, problemsToErrors(result.problems.map((p) => ({ ...p, field: p.field === 'actions' ? 'action1Assignee' : p.field }))))
        return render(req, res, 409, values, problemsToErrors([{ field: 'outcome', message: result.reason }]))
      },
    },
  ]
}
