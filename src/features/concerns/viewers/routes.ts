import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayViewConcern } from '../../../domain/policy.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { recordViewers } from '../../../repositories/audit-repository.js'
import { findVisibleConcern } from '../../../repositories/concern-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { caseTabs } from '../case-tabs.js'

export const VIEW_ACTIONS = ['concern.view', 'concern.view-own', 'concern.print', 'document.download', 'concern.break-glass'] as const

/** What each kind of access opened, in words (a case-record tab's view names the tab). */
function describeAccess(action: string, details: Record<string, unknown> | null): string {
  if (action === 'concern.view-own') return 'Their own submission (referrer)'
  if (action === 'concern.print') return 'Printed the chronology'
  if (action === 'document.download') return 'Downloaded a document'
  if (action === 'concern.break-glass') return 'Opened it by breaking glass (not named on a restricted case)'
  const tab = typeof details?.tab === 'string' ? details.tab : null
  return tab ? `The case record: ${tab.replace(/-/g, ' ')}` : 'The case record'
}

/** Who has opened a concern: for safeguarding managers and auditors. */
export function viewersRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.concernViewers(':id'),
      action: 'concern:viewers',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const id = req.params.id
        if (!isUuid(id)) throw new NotFound()
        const found = await deps.database.db.transaction().execute(async (tx) => {
          const concern = await findVisibleConcern(tx, ctx.user.organisationId, id, ctx.user.id, ctx.now())
          if (!concern || !mayViewConcern(ctx.user, concern)) return undefined
          const viewers = await recordViewers(tx, ctx.user.organisationId, 'concern', concern.id, VIEW_ACTIONS)
          await audit(tx, ctx, { action: 'concern.viewers', recordType: 'concern', recordId: concern.id })
          return { concern, viewers }
        })
        if (!found) throw new NotFound()
        res.render('concerns/viewers/view.njk', { activeNav: 'queue', ...found, viewers: found.viewers.map((v) => ({ ...v, what: describeAccess(v.action, v.details) })), tabs: caseTabs(found.concern.id, 'history', ctx.user.roles) })
      },
    },
  ]
}
