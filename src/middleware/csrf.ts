import type { NextFunction, Request, Response } from 'express'
import { csrfSync } from 'csrf-sync'

/**
 * Synchronizer-token CSRF protection on every state-changing request, in every environment
 * including tests. The token lives in the server-side session; forms carry it as `_csrf`.
 */
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf
    if (typeof fromBody === 'string') return fromBody
    const fromHeader = req.headers['x-csrf-token']
    return typeof fromHeader === 'string' ? fromHeader : undefined
  },
  errorConfig: { statusCode: 403, message: 'Invalid CSRF token', code: 'EBADCSRFTOKEN' },
})

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Beside the token, a second check: the browser's own word on where a form came from. A post
 * another site made is refused even if it somehow carried a valid token. Modern browsers send
 * Sec-Fetch-Site; older ones an Origin. Under our `Referrer-Policy: no-referrer` browsers send
 * `Origin: null` on same-origin posts, so a null origin is left to the token.
 */
export function isCrossSite(req: Request, publicOrigin: string | undefined): boolean {
  const site = req.get('sec-fetch-site')
  if (site) return site !== 'same-origin' && site !== 'none'
  const origin = req.get('origin')
  if (!origin || origin === 'null') return false
  return origin !== `${req.protocol}://${req.get('host')}` && origin !== publicOrigin
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined
  } catch {
    return undefined
  }
}

export function csrfProtection(options: { publicUrl?: string } = {}) {
  const publicOrigin = originOf(options.publicUrl)
  return (req: Request, res: Response, next: NextFunction) => {
    if (!SAFE_METHODS.has(req.method) && isCrossSite(req, publicOrigin)) {
      return next(Object.assign(new Error('Cross-site request refused'), { code: 'EBADCSRFTOKEN', status: 403 }))
    }
    csrfSynchronisedProtection(req, res, (err?: unknown) => {
      if (err) return next(err)
      // Every page gets the session's token (forms re-shown after a POST need it too); it is not rotated per request.
      res.locals.csrfToken = generateToken(req)
      next()
    })
  }
}

export function isCsrfError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'EBADCSRFTOKEN'
}
