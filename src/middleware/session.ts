import type { NextFunction, Request, RequestHandler, Response } from 'express'
import session from 'express-session'
import type { AppDeps } from '../context.js'
import { DatabaseSessionStore } from './session-store.js'

declare module 'express-session' {
  interface SessionData {
    userId: string
    organisationId: string
    /** When this session signed in (ms since the epoch); the absolute limit runs from here. */
    createdAt: number
    /** When the person last gave their password in this session (sign-in, or "Confirm it's you"). */
    confirmedAt: number
    /** Where "Confirm it's you" goes back to. */
    confirmReturnTo: string
    /** Last use, moved at most once a minute; the idle limit runs from here. */
    lastSeenAt: number
    /** A coarse description of the browser at sign-in ("Firefox on Windows"), for "Your sessions"; never the User-Agent itself. */
    browser: string
    returnTo: string
    flash: { heading?: string; text: string; kind?: 'success' | 'important' }
    signedOutReason: 'idle' | 'absolute' | 'deactivated'
    concernDraft: Record<string, unknown> & { submissionKey: string }
    /** The Cases search text: kept here, not in the URL, because it may be a person's name. */
    caseSearch: string
    lastSubmittedConcernId: string
    /** Passed the password step, not yet the authenticator code: not signed in. */
    mfaPending: { userId: string; organisationId: string; startedAt: number; returnTo: string }
    /** Set in the stored copy only: this session has a row, so saving it may update but never re-create it. */
    stored: true
  }
}

export function sessionCookieName(secure: boolean): string {
  // The __Host- prefix needs Secure, which plain-HTTP laptop demos cannot carry.
  return secure ? '__Host-kestrel' : 'kestrel'
}

export function sessions(deps: AppDeps): RequestHandler[] {
  return [sessionMiddleware(deps), saveSessionBeforeRedirect]
}

/**
 * express-session saves a changed session as the response ends, but it sends the status and
 * headers first; a browser follows a redirect on the headers alone, so the next page could load
 * the session before the save lands (a lost success message or journey answer) and then write the
 * old copy back. A changed session is therefore saved before any redirect is sent.
 */
function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const before = req.session ? JSON.stringify(req.session) : undefined
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void
  res.redirect = ((...args: unknown[]) => {
    if (!req.session || JSON.stringify(req.session) === before) return redirect(...args)
    req.session.save((error) => (error ? next(error) : redirect(...args)))
  }) as Response['redirect']
  next()
}

function sessionMiddleware(deps: AppDeps): RequestHandler {
  const { config } = deps
  return session({
    name: sessionCookieName(config.secureCookies),
    secret: config.sessionSecret,
    store: new DatabaseSessionStore(deps.database, deps.clock, config.sessionIdleMs, config.sessionAbsoluteMs),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      secure: config.secureCookies,
      sameSite: 'lax',
      path: '/',
      // No maxAge: a browser-session cookie. The server enforces idle and absolute limits.
    },
  })
}
