import type { Express } from 'express'
import { POLICY, roleMayPerform, type Action } from '../../../src/domain/policy.js'
import type { AppRole } from '../../../src/domain/roles.js'
import { registeredRoutes, type RouteSpec } from '../../../src/routing.js'
import type { TestApp } from '../../helpers/app.js'
import type { Persona } from './world.js'

export function expressApp(app: TestApp): Express {
  return app.server.server.listeners('request')[0] as Express
}

/** Every route the running app answers, from the route table. */
export function routesOf(app: TestApp): readonly RouteSpec[] {
  const routes = registeredRoutes(expressApp(app))
  if (routes.length < 10) throw new Error('The route table is nearly empty: is the app assembled?')
  return routes
}

export function isPublic(route: RouteSpec): boolean {
  return POLICY[route.action] === 'anyone'
}

export function personaRoles(persona: Pick<Persona, 'roles'>): Set<AppRole> {
  return new Set<AppRole>(['staff', ...persona.roles])
}

/** The policy table's answer for this persona on this route. */
export function mayUse(persona: Pick<Persona, 'roles'>, route: RouteSpec): boolean {
  return roleMayPerform(personaRoles(persona), route.action as Action)
}

export function label(route: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${route.method.toUpperCase()} ${route.path}`
}

/** Signing out ends the session the suites share, so it is never exercised by them. */
export function endsSession(route: Pick<RouteSpec, 'path'>): boolean {
  return route.path === '/sign-out'
}

/**
 * A page body with what legitimately differs per response removed: the CSP nonce, the CSRF
 * token and request ids. Two answers that are the same page compare equal after this.
 */
export function normaliseBody(text: string): string {
  return text
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/(name="_csrf"\s+value=")[^"]*"/g, '$1"')
}

export const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
