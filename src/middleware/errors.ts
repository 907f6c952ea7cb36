import type { NextFunction, Request, Response } from 'express'
import type { AppDeps } from '../context.js'
import { ConcurrencyConflict, HttpError, RecordDisposed } from '../http-errors.js'
import { isUuid } from '../ids.js'
import { loggableError } from '../log-safe-error.js'
import { auditRefusal } from '../services/audit.js'
import { isCsrfError } from './csrf.js'

export function notFound(_req: Request, res: Response) {
  res.status(404).render('errors/not-found.njk')
}

interface BodyParserError {
  type?: string
  status?: number
}

/** Every failure ends in a GOV.UK page with the right status; nothing personal reaches the log. */
export function errorHandler(deps: AppDeps) {
  return async (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return
    // Errors can be raised before the no-store step runs (body too large, expired form).
    res.setHeader('Cache-Control', 'no-store')
    const bodyError = error as BodyParserError
    if (bodyError?.type === 'entity.too.large' || bodyError?.type === 'parameters.too.many') {
      return res.status(413).render('errors/bad-request.njk', {
        heading: 'What you sent is too large',
        message: 'Kestrel did not save anything. Shorten what you entered, or send large files as documents, and try again.',
      })
    }
    if (bodyError?.type === 'entity.parse.failed' || bodyError?.type === 'encoding.invalid' || bodyError?.type === 'encoding.unsupported' || bodyError?.type === 'charset.unsupported' || error instanceof URIError) {
      return res.status(400).render('errors/bad-request.njk')
    }
    if (isCsrfError(error)) {
      // The check runs before the user is loaded, so the refusal is put down to the session's user.
      const s = req.session
      const user = req.ctx?.user ?? (s?.userId && s.organisationId ? { id: s.userId, organisationId: s.organisationId } : undefined)
      if (user) await auditRefusalOrLog(deps, req, user, 'csrf.refused', { method: req.method, route: req.route?.path ?? null })
      deps.logger.warn({ requestId: req.ctx?.requestId, method: req.method }, 'CSRF token refused')
      return res.status(403).render('errors/bad-request.njk', {
        heading: 'This form has expired',
        message: 'For your security, Kestrel did not save anything. Go back, reload the page and try again.',
      })
    }
    if (error instanceof ConcurrencyConflict) {
      return res.status(409).render('errors/conflict.njk', { returnTo: error.returnTo, what: error.what })
    }
    if (error instanceof RecordDisposed) {
      return res.status(410).render('errors/disposed.njk', { reference: error.reference, disposedAt: error.disposedAt })
    }
    if (error instanceof HttpError) {
      if (error.status === 404) {
        await auditNotFound(deps, req)
        return res.status(404).render('errors/not-found.njk')
      }
      return res.status(error.status).render('errors/bad-request.njk', { message: error.status === 400 ? undefined : error.message })
    }
    // Never the whole error: pg errors carry row values in `detail`, and some messages quote values.
    deps.logger.error({ requestId: req.ctx?.requestId, err: loggableError(error) }, 'Unhandled error')
    res.status(500).render('errors/server-error.njk', { requestId: req.ctx?.requestId })
  }
}

/**
 * A signed-in person asking for a record they may not see gets "page not found", exactly as for
 * one that does not exist; the audit trail still records the attempt (route and the ids asked
 * for), so probing for restricted or other councils' records leaves a trace.
 */
async function auditNotFound(deps: AppDeps, req: Request): Promise<void> {
  const user = req.ctx?.user
  if (!user || !req.route) return
  await auditRefusalOrLog(deps, req, user, 'access.not-found', { method: req.method, route: req.route.path, ids: idsInPath(String(req.route.path), req.path) })
}

/** A refusal is answered whether or not its audit row could be written; a failure is logged. */
async function auditRefusalOrLog(deps: AppDeps, req: Request, user: { id: string; organisationId: string }, action: string, details: Record<string, unknown>): Promise<void> {
  await auditRefusal(deps, req.ctx, user, action, details).catch((e: Error) => deps.logger.warn({ requestId: req.ctx.requestId, action, err: { message: e.message } }, 'Could not audit a refusal'))
}

/** The ids a path carries, named by its route pattern (req.params is gone by the time errors are handled). */
function idsInPath(pattern: string, path: string): Record<string, string> {
  const names = pattern.split('/')
  const values = path.split('/')
  if (names.length !== values.length) return {}
  return Object.fromEntries(names.flatMap((name, i) => (name.startsWith(':') && isUuid(values[i]) ? [[name.slice(1), values[i]!]] : [])))
}
