import type { Request, Response } from 'express'
import { DateTime } from 'luxon'
import type { AppDeps } from '../../../context.js'
import { isWorkingDay, LONDON } from '../../../domain/working-days.js'
import { singleError } from '../../../forms.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { nonWorkingDates } from '../../../repositories/calendar-repository.js'
import { listAbsences, listDuties, rotaDateVersion } from '../../../repositories/rota-repository.js'
import { listActiveUsersWithRole } from '../../../repositories/user-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { setDutyDay } from '../../../services/rota.js'
import { versionFrom } from '../../concerns/triage-page.js'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A safeguarding manager sets who is on duty on one working day. */
export function rotaDayRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db

  async function load(req: Request) {
    const ctx = signedIn(req)
    const date = req.params.date
    if (typeof date !== 'string' || !ISO_DATE.test(date) || !DateTime.fromISO(date).isValid) throw new NotFound()
    const calendar = await nonWorkingDates(db, ctx.user.organisationId, date, date)
    if (!isWorkingDay(date, calendar)) throw new NotFound()
    return { ctx, date }
  }

  async function render(req: Request, res: Response, status: number, date: string, selected: string[], version: number, errors?: unknown) {
    const ctx = signedIn(req)
    const [dsos, absences] = await Promise.all([listActiveUsersWithRole(db, ctx.user.organisationId, 'dso'), listAbsences(db, ctx.user.organisationId, date, date)])
    const away = new Set(absences.map((a) => a.user_id))
    res.status(status).render('rota/day/view.njk', {
      activeNav: 'rota',
      date,
      dateLabel: DateTime.fromISO(date, { zone: LONDON }).toFormat('cccc d MMMM yyyy'),
      items: dsos.map((d) => ({ value: d.id, text: d.display_name, hint: away.has(d.id) ? { text: 'On leave or unavailable' } : undefined, checked: selected.includes(d.id) })),
      version,
      errors,
    })
  }

  return [
    {
      method: 'get',
      path: paths.rotaDay(':date'),
      action: 'rota:manage',
      handler: async (req, res) => {
        const { ctx, date } = await load(req)
        const current = await listDuties(db, ctx.user.organisationId, date, date)
        await render(req, res, 200, date, current.map((d) => d.user_id), await rotaDateVersion(db, ctx.user.organisationId, date))
      },
    },
    {
      method: 'post',
      path: paths.rotaDay(':date'),
      action: 'rota:manage',
      handler: async (req, res) => {
        const { ctx, date } = await load(req)
        const raw = req.body?.userIds
        const ids = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string')
        const dsos = await listActiveUsersWithRole(db, ctx.user.organisationId, 'dso')
        const version = versionFrom(req.body)
        if (ids.some((id) => !dsos.some((d) => d.id === id))) return render(req, res, 400, date, ids, version, singleError('userIds', 'Select DSOs from the list', '#userIds'))
        if (ids.length === 0) return render(req, res, 400, date, ids, version, singleError('userIds', 'Select at least one DSO to be on duty', '#userIds'))
        if (!(await setDutyDay(deps, ctx, date, [...new Set(ids)], version))) throw new ConcurrencyConflict(paths.rotaDay(date))
        req.session.flash = { kind: 'success', text: 'The rota has been updated.' }
        res.redirect(303, paths.rota(date.slice(0, 7)))
      },
    },
  ]
}
