import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { findEmail, requeueEmail } from '../../../repositories/email-outbox-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { EMAIL_STATUS_TAGS } from '../emails/routes.js'

/** One email as it was written (emails hold references and links, never case narrative). */
export function emailRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db
  async function load(req: Request) {
    const ctx = signedIn(req)
    const email = isUuid(req.params.id) ? await findEmail(db, ctx.user.organisationId, req.params.id) : undefined
    if (!email) throw new NotFound()
    return { ctx, email }
  }
  return [
    {
      method: 'get',
      path: paths.adminEmail(':id'),
      action: 'admin:email-outbox',
      handler: async (req: Request, res: Response) => {
        const { ctx, email } = await load(req)
        await db.transaction().execute((tx) => audit(tx, ctx, { action: 'email.view', recordType: 'email', recordId: email.id }))
        res.render('admin/email/view.njk', { activeNav: 'emails', email, tag: EMAIL_STATUS_TAGS[email.status] })
      },
    },
    {
      method: 'post',
      path: paths.adminEmailRetry(':id'),
      action: 'admin:email-outbox',
      handler: async (req: Request, res: Response) => {
        const { ctx, email } = await load(req)
        await db.transaction().execute(async (tx) => {
          if (await requeueEmail(tx, ctx.user.organisationId, email.id, ctx.now())) await audit(tx, ctx, { action: 'email.retry', recordType: 'email', recordId: email.id })
        })
        req.session.flash = { kind: 'success', text: 'The email will be sent again shortly.' }
        res.redirect(303, paths.adminEmail(email.id))
      },
    },
  ]
}
