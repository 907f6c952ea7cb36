import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { signedOutMessage } from '../../../domain/own-sessions.js'
import { BadRequest } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { signedIn } from '../../../routing.js'
import { listOwnSessions, signOutOneSession, signOutOtherSessions } from '../../../services/own-sessions.js'
import { signOutOneSchema } from './schema.js'

export function sessionsController(deps: AppDeps) {
  const { config } = deps
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const current = { sid: req.sessionID, createdAt: req.session.createdAt ?? null, lastSeenAt: req.session.lastSeenAt ?? null, browser: req.session.browser ?? null }
      const sessions = await listOwnSessions(deps, ctx, current)
      res.render('account/sessions/view.njk', {
        sessions,
        otherCount: sessions.filter((s) => !s.current).length,
        idleMinutes: Math.round(config.sessionIdleMs / 60_000),
        absoluteHours: Math.round(config.sessionAbsoluteMs / 3_600_000),
      })
    },

    async signOutOthers(req: Request, res: Response) {
      const ended = await signOutOtherSessions(deps, signedIn(req), req.sessionID)
      req.session.flash = { kind: 'success', text: signedOutMessage(ended) }
      res.redirect(303, paths.accountSessions())
    },

    async signOutOne(req: Request, res: Response) {
      const parsed = signOutOneSchema.safeParse(req.body ?? {})
      if (!parsed.success) throw new BadRequest('Invalid session')
      const ended = await signOutOneSession(deps, signedIn(req), req.sessionID, parsed.data.session)
      req.session.flash = ended ? { kind: 'success', text: 'You have been signed out of that session.' } : { kind: 'important', text: 'That session had already ended.' }
      res.redirect(303, paths.accountSessions())
    },
  }
}
