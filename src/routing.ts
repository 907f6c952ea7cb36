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
    app[spec.method](spec.path, authorize(deps, spec.action, { returnable: spec.method === 'get' || registered.some((r) => r.method === 'get' && r.path === spec.path) }), spec.handler)
  }
}

/** Every route the app answers, with its policy action (for the policy matrix tests). */
export function registeredRoutes(app: Express): readonly RouteSpec[] {
  return app.locals.routeSpecs ?? []
}

/**
 * `returnable`: a GET of the same URL shows the page, so "Confirm it's you" can send the person
 * back there (a form posted without a fresh sign-in is shown again, not replayed).
 */
export function authorize(deps: AppDeps, action: Action, options: { returnable?: boolean } = {}): RequestHandler {
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
      req.session.confirmReturnTo = options.returnable ? safeReturnTo(req.originalUrl) : paths.home()
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
