import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { checkDateParts } from '../../../domain/dates.js'
import { addCalendarDays, londonDate } from '../../../domain/working-days.js'
import { exactText, fieldValue, formErrors, singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { addClosureDay, listClosureDays, removeClosureDay } from '../../../repositories/calendar-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { recomputeOpenDeadlines } from '../../../services/concern-clock.js'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** The organisation's own non-working days (on top of bank holidays), which move the target clock. */
export function closureDaysRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db
  async function render(req: Request, res: Response, status: number, values: Record<string, string> = {}, errors?: unknown) {
    const days = await listClosureDays(db, signedIn(req).user.organisationId)
    res.status(status).render('admin/closure-days/view.njk', { activeNav: 'reference', days, values, errors })
  }
  return [
    { method: 'get', path: paths.adminClosureDays(), action: 'admin:reference-data', handler: (req, res) => render(req, res, 200) },
    {
      method: 'post',
      path: paths.adminClosureDays(),
      action: 'admin:reference-data',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const values = { 'date-day': fieldValue(req.body, 'date-day'), 'date-month': fieldValue(req.body, 'date-month'), 'date-year': fieldValue(req.body, 'date-year'), reason: fieldValue(req.body, 'reason') }
        const today = londonDate(ctx.now())
        const date = checkDateParts({ day: values['date-day'], month: values['date-month'], year: values['date-year'] }, 'The closure date', today, { earliest: addCalendarDays(today, -366 * 2) })
        if (date.kind === 'empty') return render(req, res, 400, values, singleError('date', 'Enter the closure date', '#date-day'))
        if (date.kind === 'error') return render(req, res, 400, values, singleError('date', date.message, `#date-${date.part}`))
        const reason = exactText({ label: 'Reason', max: 200, required: 'Enter the reason for the closure' }).safeParse(req.body?.reason)
        if (!reason.success) return render(req, res, 400, values, formErrors(reason.error.issues.map((i) => ({ ...i, path: ['reason'] }))))
        const added = await db.transaction().execute(async (tx) => {
          const ok = await addClosureDay(tx, ctx.user.organisationId, date.iso, reason.data!.trim())
          if (!ok) return false
          const moved = await recomputeOpenDeadlines(tx, ctx.user.organisationId, ctx.now())
          await audit(tx, ctx, { action: 'reference.closure-day.create', details: { date: date.iso, deadlines_moved: moved } })
          return true
        })
        if (!added) return render(req, res, 400, values, singleError('date', 'That date is already a closure day', '#date-day'))
        req.session.flash = { kind: 'success', text: 'The closure day has been added. Deadlines of concerns still waiting have been recalculated.' }
        res.redirect(303, paths.adminClosureDays())
      },
    },
    {
      method: 'post',
      path: paths.adminClosureDayRemove(),
      action: 'admin:reference-data',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const date = req.body?.date
        if (typeof date !== 'string' || !ISO_DATE.test(date)) return render(req, res, 400, {}, singleError('date', 'Choose a closure day to remove', '#date-day'))
        await db.transaction().execute(async (tx) => {
          if (!(await removeClosureDay(tx, ctx.user.organisationId, date))) return
          const moved = await recomputeOpenDeadlines(tx, ctx.user.organisationId, ctx.now())
          await audit(tx, ctx, { action: 'reference.closure-day.delete', details: { date, deadlines_moved: moved } })
        })
        req.session.flash = { kind: 'success', text: 'The closure day has been removed.' }
        res.redirect(303, paths.adminClosureDays())
      },
    },
  ]
}
