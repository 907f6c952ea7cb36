import type { Request, Response } from 'express'
import { DateTime } from 'luxon'
import type { AppDeps } from '../../../context.js'
import { isMonth, monthGrid, monthRange, shiftMonth } from '../../../domain/rota.js'
import { LONDON, londonDate } from '../../../domain/working-days.js'
import { BadRequest } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { nonWorkingDates } from '../../../repositories/calendar-repository.js'
import { listAbsences, listDuties } from '../../../repositories/rota-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'

/** The duty rota: a month of working days and who is on duty. Everyone may look; managers edit. */
export function rotaCalendarRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.rota(),
      action: 'rota:view',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const db = deps.database.db
        const today = londonDate(ctx.now())
        const raw = req.query.month
        if (raw !== undefined && !isMonth(raw)) throw new BadRequest('Invalid month')
        const month = (raw as string | undefined) ?? today.slice(0, 7)
        const { first, last } = monthRange(month)
        const grid = monthGrid(month, await nonWorkingDates(db, ctx.user.organisationId, addDays(first, -7), addDays(last, 7)), today)
        const gridFirst = grid[0]![0]!.date
        const gridLast = grid[grid.length - 1]![6]!.date
        const [duties, absences] = await Promise.all([listDuties(db, ctx.user.organisationId, gridFirst, gridLast), listAbsences(db, ctx.user.organisationId, gridFirst, gridLast)])
        const byDate = new Map<string, string[]>()
        for (const d of duties) byDate.set(d.duty_date, [...(byDate.get(d.duty_date) ?? []), d.display_name])
        const manager = ctx.user.roles.has('safeguarding_manager')
        const weeks = grid.map((week) =>
          week.map((cell) => ({
            ...cell,
            label: DateTime.fromISO(cell.date, { zone: LONDON }).toFormat('cccc d MMMM'),
            onDuty: byDate.get(cell.date) ?? [],
            away: absences.filter((a) => a.starts_on <= cell.date && cell.date <= a.ends_on).map((a) => a.display_name),
          })),
        )
        const uncovered = weeks.flat().filter((c) => c.inMonth && c.working && c.date >= today && c.onDuty.length === 0)
        res.render('rota/calendar/view.njk', {
          activeNav: 'rota',
          month,
          monthLabel: DateTime.fromISO(first, { zone: LONDON }).toFormat('MMMM yyyy'),
          previous: shiftMonth(month, -1),
          next: shiftMonth(month, 1),
          weeks,
          todayOnDuty: byDate.get(today) ?? [],
          manager,
          uncovered: manager ? uncovered : [],
        })
      },
    },
  ]
}

function addDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: LONDON }).plus({ days: n }).toISODate()!
}
