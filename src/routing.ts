import type { Express, NextFunction, Request, RequestHandler, Response } from 'express'
import type { AppDeps, SignedInContext } from './context.js'
import { needsFreshSignIn } from './domain/fresh-sign-in.js'
import { roleMayPerform, type Action } from './domain/policy.js'
import { safeReturnTo } from './middleware/current-user.js'
import { paths } from './paths.js'
import { auditRefusal } from './services/audit.js'

export interface RouteSpec {
  method: 'get' | 'post'
  path: string
  /** The policy action that decides who may use this route (see domain/policy.ts). */
  action: Action
  handler: RequestHandler
}

export type RouteFactory = (deps: AppDeps) => RouteSpec[]

/** The only way a route joins the app: every one goes through `authorize` for its declared action. */
export function mountRoutes(app: Express, deps: AppDeps, specs: RouteSpec[]): void {
  const registered: RouteSpec[] = (app.locals.routeSpecs ??= [])
  for (const spec of specs) {
    if (registered.some((r) => r.method === spec.method && r.path === spec.path)) {
      throw new Error(`Route declared twice: ${spec.method} ${spec.path}`)
    }
    registered.push(spec)
    app[spec.method](spec.path, authorize(deps, spec.action, { pageOf: (url) => pageOf(registered, spec, url) }), spec.handler)
  }
}

/** Every route the app answers, with its policy action (for the policy matrix tests). */
export function registeredRoutes(app: Express): readonly RouteSpec[] {
  return app.locals.routeSpecs ?? []
}

/**
 * The page a request came from, for "Confirm it's you" to send the person back to: a GET is its own
 * page; a form's page is the GET of the same path, or of the path one level up (a button such as
 * /admin/users/:id/active sits on /admin/users/:id). A posted form is shown again, not replayed.
 * Looked up when needed, when every route is registered.
 */
function pageOf(registered: readonly RouteSpec[], spec: RouteSpec, url: string): string {
  const path = url.split('?')[0]!
  if (spec.method === 'get') return url
  const hasGet = (pattern: string) => registered.some((r) => r.method === 'get' && r.path === pattern)
  if (hasGet(spec.path)) return path
  const up = (p: string) => p.slice(0, p.lastIndexOf('/'))
  return up(spec.path) && hasGet(up(spec.path)) ? up(path) : paths.home()
}

export function authorize(deps: AppDeps, action: Action, options: { pageOf?: (url: string) => string } = {}): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (action === 'public') return next()
    const user = req.ctx?.user
    if (!user) {
      if (req.method === 'GET') req.session.returnTo = safeReturnTo(req.originalUrl)
      return res.redirect(303, paths.signIn())
    }
    if (user.mustChangePassword && action !== 'account:use') {
      return res.redirect(303, paths.changePassword())
    }
    // Like a temporary password: nothing else until the required authenticator is set up.
    if (user.mfaSetupRequired && action !== 'account:use' && action !== 'account:mfa') {
      return res.redirect(303, paths.accountMfaSetup())
    }
    if (roleMayPerform(user.roles, action)) {
      if (!needsFreshSignIn(action, req.session.confirmedAt ?? req.session.createdAt, req.ctx.now())) return next()
      req.session.confirmReturnTo = safeReturnTo(options.pageOf?.(req.originalUrl) ?? paths.home())
      return res.redirect(303, paths.confirmSignIn())
    }

    await auditRefusal(deps, req.ctx, user, 'access.denied', { policy_action: action, method: req.method, route: req.route?.path ?? null })
    res.status(403).render('errors/forbidden.njk')
  }
}

/** For handlers behind a staff-or-above action: the context is known to carry a user. */
export function signedIn(req: Request): SignedInContext {
  if (!req.ctx.user) throw new Error('Route used without a signed-in user')
  return req.ctx as SignedInContext
}
