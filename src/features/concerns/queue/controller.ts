import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { describeAge } from '../../../domain/person-display.js'
import { describeTimeLeft, londonDate, timeLeft } from '../../../domain/working-days.js'
import { pageFromQuery, paginationView, PAGE_SIZE } from '../../../pagination.js'
import { paths } from '../../../paths.js'
import { countQueue, listQueue } from '../../../repositories/concern-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { calendarAround } from '../../../services/concern-clock.js'

const CLOCK_TAGS = { overdue: 'govuk-tag--red', due_today: 'govuk-tag--orange', on_track: 'govuk-tag--green' } as const

export function queueController(deps: AppDeps) {
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const page = pageFromQuery(req.query)
      const now = ctx.now()
      const { rows, total, calendar } = await deps.database.db.transaction().execute(async (tx) => {
        const rows = await listQueue(tx, ctx.user.organisationId, ctx.user.id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        const total = await countQueue(tx, ctx.user.organisationId, ctx.user.id)
        const earliest = rows[0]?.due_at ?? now
        const calendar = await calendarAround(tx, ctx.user.organisationId, earliest < now ? earliest : now, now)
        await audit(tx, ctx, { action: 'concern.list', details: { list: 'queue', page, count: rows.length, record_ids: rows.map((r) => r.id) } })
        return { rows, total, calendar }
      })
      const today = londonDate(now)
      const items = rows.map((r) => {
        const clock = timeLeft(now, r.due_at, calendar)
        return { ...r, age: describeAge(r, today), clock, clockText: describeTimeLeft(clock), clockTag: CLOCK_TAGS[clock.state] }
      })
      res.render('concerns/queue/view.njk', {
        activeNav: 'queue',
        items,
        total,
        overdue: items.filter((i) => i.clock.state === 'overdue').length,
        pagination: paginationView(page, total, (n) => `${paths.queue()}?page=${n}`),
      })
    },
  }
}
