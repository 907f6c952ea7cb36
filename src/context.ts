import type { ChainKey } from './domain/audit-hash.js'
import type { Config } from './config.js'
import type { Database } from './db/connect.js'
import type { AppRole } from './domain/roles.js'
import type { Logger } from './logger.js'

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** What the app is built from; tests pass their own database and clock. */
export interface AppDeps {
  config: Config
  database: Database
  logger: Logger
  clock: Clock
}

export interface CurrentUser {
  id: string
  organisationId: string
  organisationName: string
  email: string
  displayName: string
  serviceId: string | null
  roles: ReadonlySet<AppRole>
  mustChangePassword: boolean
  /** Their organisation requires an authenticator for their roles and they have not set one up yet. */
  mfaSetupRequired?: boolean
}

/** Per-request facts every service needs: who, when, and which request to tie audit rows to. */
export interface RequestContext {
  requestId: string
  ip: string
  now(): Date
  /** Seals the audit rows this request writes (services/audit-keys.ts). */
  chainKey: ChainKey | null
  user?: CurrentUser
}

export type SignedInContext = RequestContext & { user: CurrentUser }
