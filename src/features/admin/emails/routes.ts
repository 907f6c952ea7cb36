import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { pageFromQuery, paginationView, PAGE_SIZE } from '../../../pagination.js'
import { paths } from '../../../paths.js'
import { countEmails, listEmails } from '../../../repositories/email-outbox-repository.js'
import { findNotificationSettings } from '../../../repositories/notification-settings-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'

export const EMAIL_STATUS_TAGS = {
  pending: { text: 'Waiting to send', classes: 'govuk-tag--blue' },
  held: { text: 'Kept in the outbox', classes: 'govuk-tag--grey' },
  sent: { text: 'Sent', classes: 'govuk-tag--green' },
  failed: { text: 'Failed', classes: 'govuk-tag--red' },
} as const

/** The email outbox: every email Kestrel has sent, is sending or keeps (the demo keeps them all). */
export function emailsRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.adminEmails(),
      action: 'admin:email-outbox',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const page = pageFromQuery(req.query)
        const db = deps.database.db
        const [emails, total, settings] = await Promise.all([listEmails(db, ctx.user.organisationId, PAGE_SIZE, (page - 1) * PAGE_SIZE), countEmails(db, ctx.user.organisationId), findNotificationSettings(db, ctx.user.organisationId)])
        await db.transaction().execute((tx) => audit(tx, ctx, { action: 'email.list', details: { page, count: emails.length } }))
        res.render('admin/emails/view.njk', {
          activeNav: 'emails',
          emails: emails.map((e) => ({ ...e, tag: EMAIL_STATUS_TAGS[e.status] })),
          total,
          delivery: settings.emailDelivery,
          pagination: paginationView(page, total, (n) => `${paths.adminEmails()}?page=${n}`),
        })
      },
    },
  ]
}
