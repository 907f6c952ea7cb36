import type { Action } from './policy.js'

/**
 * Actions that can hand someone else access or weaken the council's defences: an administrator
 * managing people (roles, resets, deactivation), security, email and retention settings, a manager
 * breaking the glass on a restricted case, and approving a disposal, which cannot be undone. A session left signed in on an unlocked desk must not
 * be enough for them, so they need the password (and code) given within the last few minutes.
 */
export const FRESH_SIGN_IN_ACTIONS: ReadonlySet<Action> = new Set<Action>(['admin:users', 'admin:security', 'admin:notification-settings', 'admin:retention', 'case:break-glass', 'records:approve-disposal'])

/** How long a confirmed password counts as fresh. */
export const FRESH_SIGN_IN_MS = 15 * 60_000

/**
 * Whether the person proved who they are recently enough for this action. `confirmedAt` is the
 * last time they gave their password in this session: at sign-in or on "Confirm it's you".
 */
export function needsFreshSignIn(action: Action, confirmedAt: number | undefined, now: Date): boolean {
  if (!FRESH_SIGN_IN_ACTIONS.has(action)) return false
  return confirmedAt === undefined || now.getTime() - confirmedAt >= FRESH_SIGN_IN_MS || confirmedAt > now.getTime()
}
