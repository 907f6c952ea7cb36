import type { Request } from 'express'
import { PENDING_MFA_MS } from '../../domain/mfa.js'

/** The half-finished sign-in in this session, if it has not run out of time. */
export function pendingSignIn(req: Request) {
  const pending = req.session.mfaPending
  if (!pending) return undefined
  if (req.ctx.now().getTime() - pending.startedAt > PENDING_MFA_MS) return undefined
  return pending
}

export const SECOND_FACTOR_MESSAGES = {
  throttled: 'There have been too many attempts to enter a code. Wait 15 minutes and sign in again.',
  unavailable: 'Kestrel cannot check your code. Ask your administrator to reset your two-step verification.',
  timedOut: 'Signing in took too long. Enter your email address and password again.',
} as const
