import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { checkDateParts, isoToParts } from '../../../domain/dates.js'
import { londonDate } from '../../../domain/working-days.js'
import { fieldValue, formErrors } from '../../../forms.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listPossibleAttendees } from '../../../repositories/review-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { createMeeting } from '../../../services/case-review.js'
import { problemsToErrors, submissionKeyFrom } from '../../case-record/case-page.js'

function listOf(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name]
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')
}

/** A manager creates the weekly meeting (date, attendees); Kestrel builds its agenda. */
export function meetingNewRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string | string[]>, errors?: unknown) {
    const ctx = signedIn(req)
    const people = await listPossibleAttendees(deps.database.db, ctx.user.organisationId)
    const chosen = (values.attendeeIds as string[] | undefined) ?? [ctx.user.id]
    res.status(status).render('reviews/meeting-new/view.njk', {
      activeNav: 'reviews',
      attendeeItems: people.map((p) => ({ value: p.id, text: p.display_name, checked: chosen.includes(p.id) })),
      values,
      errors,
    })
  }
  return [
    {
      method: 'get',
      path: paths.reviewNew(),
      action: 'reviews:manage',
      handler: (req, res) => {
        const today = isoToParts(londonDate(signedIn(req).now()))
        return render(req, res, 200, { 'date-day': today.day, 'date-month': today.month, 'date-year': today.year, submissionKey: newId() })
      },
    },
    {
      method: 'post',
      path: paths.reviewNew(),
      action: 'reviews:manage',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const values = { 'date-day': fieldValue(req.body, 'date-day'), 'date-month': fieldValue(req.body, 'date-month'), 'date-year': fieldValue(req.body, 'date-year'), attendeeIds: listOf(req.body, 'attendeeIds'), submissionKey: fieldValue(req.body, 'submissionKey') }
        const date = checkDateParts({ day: values['date-day'], month: values['date-month'], year: values['date-year'] }, 'The meeting date', '9999-12-31')
        if (date.kind !== 'ok') return render(req, res, 400, values, formErrors([{ path: ['meetingDate'], message: date.kind === 'empty' ? 'Enter the meeting date' : date.message }], { meetingDate: `#date-${date.kind === 'error' ? date.part : 'day'}` }))
        const outcome = await createMeeting(deps, ctx, { meetingDate: date.iso, attendeeIds: values.attendeeIds, submissionKey: submissionKeyFrom(req.body, newId) })
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The meeting has been created and its agenda built.' }
          return res.redirect(303, paths.review(outcome.id!))
        }
        if (outcome.kind === 'invalid') return render(req, res, 400, values, problemsToErrors(outcome.problems, { meetingDate: '#date-day', attendeeIds: '#attendeeIds' }))
        throw new Error(`Unexpected outcome ${outcome.kind}`)
      },
    },
  ]
}
