import type { Request, Response } from 'express'
import { DateTime } from 'luxon'
import type { AppDeps } from '../../../context.js'
import { isMonth } from '../../../domain/rota.js'
import { LONDON, londonDate } from '../../../domain/working-days.js'
import { fieldValue, singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { generateMonth } from '../../../services/rota.js'

/** Fills the empty working days of a month with a fair rotation of active DSOs. */
export function rotaGenerateRoutes(deps: AppDeps): RouteSpec[] {
  function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    res.status(status).render('rota/generate/view.njk', {
      activeNav: 'rota',
      values,
      monthLabel: isMonth(values.month) ? DateTime.fromISO(`${values.month}-01`, { zone: LONDON }).toFormat('MMMM yyyy') : '',
      errors,
    })
  }
  return [
    {
      method: 'get',
      path: paths.rotaGenerate(),
      action: 'rota:manage',
      handler: async (req, res) => {
        const month = isMonth(req.query.month) ? req.query.month : londonDate(signedIn(req).now()).slice(0, 7)
        render(req, res, 200, { month, perDay: '1' })
      },
    },
    {
      method: 'post',
      path: paths.rotaGenerate(),
      action: 'rota:manage',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const values = { month: fieldValue(req.body, 'month'), perDay: fieldValue(req.body, 'perDay') }
        if (!isMonth(values.month)) return render(req, res, 400, values, singleError('month', 'Choose a month to fill'))
        if (!['1', '2', '3'].includes(values.perDay)) return render(req, res, 400, values, singleError('perDay', 'Select how many DSOs are on duty each day', '#perDay'))
        const result = await generateMonth(deps, ctx, values.month, Number(values.perDay))
        req.session.flash = {
          kind: 'success',
          text: `${result.filled} working day${result.filled === 1 ? '' : 's'} filled.${result.uncovered.length ? ` ${result.uncovered.length} could not be covered because everyone is away: set them by hand.` : ''}`,
        }
        res.redirect(303, paths.rota(values.month))
      },
    },
  ]
}
