import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayViewOwnConcern } from '../../../domain/policy.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { findConcern } from '../../../repositories/concern-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

export function confirmationRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.concernConfirmation(':id'),
      action: 'concern:view-own',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const id = req.params.id
        if (!isUuid(id)) throw new NotFound()
        const concern = await deps.database.db.transaction().execute(async (tx) => {
          const c = await findConcern(tx, ctx.user.organisationId, id)
          if (!c || !mayViewOwnConcern(ctx.user, c)) return undefined
          await audit(tx, ctx, { action: 'concern.view-own', recordType: 'concern', recordId: c.id, details: { page: 'confirmation' } })
          return c
        })
        if (!concern) throw new NotFound()
        res.render('concerns/confirmation/view.njk', { activeNav: 'raise', concern })
      },
    },
  ]
}
