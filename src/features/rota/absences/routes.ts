import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import type { AbsenceKind } from '../../../db/schema.js'
import { checkDateParts } from '../../../domain/dates.js'
import { addCalendarDays, londonDate } from '../../../domain/working-days.js'
import { fieldValue, formErrors } from '../../../forms.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid, newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listAbsences } from '../../../repositories/rota-repository.js'
import { listActiveUsersWithRole } from '../../../repositories/user-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { addAbsence, removeAbsence } from '../../../services/rota.js'

const KINDS: { value: AbsenceKind; text: string }[] = [
  { value: 'leave', text: 'Leave' },
  { value: 'unavailable', text: 'Unavailable for another reason' },
]

/** DSO leave and unavailability: the rota generator skips these people on these dates. */
export function rotaAbsencesRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db

  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const today = londonDate(ctx.now())
    const [dsos, absences] = await Promise.all([listActiveUsersWithRole(db, ctx.user.organisationId, 'dso'), listAbsences(db, ctx.user.organisationId, today, addCalendarDays(today, 366))])
    res.status(status).render('rota/absences/view.njk', {
      activeNav: 'rota',
      absences: absences.map((a) => ({ ...a, kindLabel: KINDS.find((k) => k.value === a.kind)?.text })),
      dsoItems: [{ value: '', text: 'Choose a DSO' }, ...dsos.map((d) => ({ value: d.id, text: d.display_name, selected: values.userId === d.id }))],
      kindItems: KINDS.map((k) => ({ ...k, checked: values.kind === k.value })),
      values,
      errors,
    })
  }

  return [
    { method: 'get', path: paths.rotaAbsences(), action: 'rota:manage', handler: (req, res) => render(req, res, 200, { submissionKey: newId(), kind: 'leave' }) },
    {
      method: 'post',
      path: paths.rotaAbsences(),
      action: 'rota:manage',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const input = req.body as Record<string, unknown>
        const values = Object.fromEntries(Object.entries(input ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>
        if (!isUuid(values.submissionKey)) values.submissionKey = newId()
        const today = londonDate(ctx.now())
        const dsos = await listActiveUsersWithRole(db, ctx.user.organisationId, 'dso')
        const issues: { path: string[]; message: string }[] = []
        const hrefs: Record<string, string> = {}
        if (!dsos.some((d) => d.id === values.userId)) issues.push({ path: ['userId'], message: 'Select the DSO' })
        const from = checkDateParts({ day: fieldValue(input, 'from-day'), month: fieldValue(input, 'from-month'), year: fieldValue(input, 'from-year') }, 'The first day', today, { earliest: addCalendarDays(today, -366) })
        const to = checkDateParts({ day: fieldValue(input, 'to-day'), month: fieldValue(input, 'to-month'), year: fieldValue(input, 'to-year') }, 'The last day', today, { earliest: addCalendarDays(today, -366) })
        if (from.kind === 'empty') issues.push({ path: ['from'], message: 'Enter the first day they are away' })
        if (from.kind === 'error') issues.push({ path: ['from'], message: from.message })
        if (to.kind === 'empty') issues.push({ path: ['to'], message: 'Enter the last day they are away' })
        if (to.kind === 'error') issues.push({ path: ['to'], message: to.message })
        if (from.kind === 'ok' && to.kind === 'ok' && to.iso < from.iso) issues.push({ path: ['to'], message: 'The last day must be the same as or after the first day' })
        if (!KINDS.some((k) => k.value === values.kind)) issues.push({ path: ['kind'], message: 'Select leave or unavailable' })
        hrefs.from = '#from-day'
        hrefs.to = '#to-day'
        hrefs.kind = '#kind'
        if (issues.length || from.kind !== 'ok' || to.kind !== 'ok') return render(req, res, 400, values, formErrors(issues, hrefs))
        await addAbsence(deps, ctx, { userId: values.userId!, startsOn: from.iso, endsOn: to.iso, kind: values.kind as AbsenceKind }, values.submissionKey!)
        req.session.flash = { kind: 'success', text: 'The absence has been recorded. Days already on the rota are unchanged: check them.' }
        res.redirect(303, paths.rotaAbsences())
      },
    },
    {
      method: 'post',
      path: paths.rotaAbsenceRemove(':id'),
      action: 'rota:manage',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = req.params.id
        // Another organisation's absence, or none: the same "Page not found" as any unknown record.
        if (!isUuid(id) || !(await removeAbsence(deps, ctx, id))) throw new NotFound()
        req.session.flash = { kind: 'success', text: 'The absence has been removed.' }
        res.redirect(303, paths.rotaAbsences())
      },
    },
  ]
}
