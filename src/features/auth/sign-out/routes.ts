import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { paths } from '../../../paths.js'
import type { RouteSpec } from '../../../routing.js'
import { appendAudit } from '../../../repositories/audit-repository.js'

/** Sign out is a POST (with the CSRF token), so no link or image can sign anyone out. */
export function signOutRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'post',
      path: paths.signOut(),
      action: 'account:use',
      handler: async (req: Request, res: Response) => {
        const user = req.ctx.user!
        await deps.database.db.transaction().execute((tx) =>
          appendAudit(tx, { organisationId: user.organisationId, actorUserId: user.id, action: 'auth.sign-out', requestId: req.ctx.requestId, occurredAt: req.ctx.now(), chainKey: req.ctx.chainKey }),
        )
        await new Promise<void>((resolve, reject) => req.session.destroy((e) => (e ? reject(e) : resolve())))
        res.clearCookie(deps.config.secureCookies ? '__Host-kestrel' : 'kestrel', { path: '/', httpOnly: true, secure: deps.config.secureCookies, sameSite: 'lax' })
        res.redirect(303, paths.signIn())
      },
    },
  ]
}
