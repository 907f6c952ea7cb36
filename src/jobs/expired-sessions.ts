import { deleteExpiredSessions } from '../repositories/session-repository.js'
import { deleteFailuresBefore } from '../repositories/sign-in-throttle-repository.js'
import { THROTTLE_WINDOW_MS } from '../services/sign-in.js'
import type { JobDefinition } from './job.js'

/**
 * An expired signed-in session is kept for a day so that someone coming back to it is told why
 * they were signed out (see middleware/session-store.ts); after that it is only clutter.
 */
export const EXPIRED_SESSION_GRACE_MS = 24 * 3_600_000

/** Each night: remove sessions that ended more than a day ago and sign-in failures too old to throttle anyone. */
export const expiredSessionsJob: JobDefinition = {
  name: 'expired-sessions',
  schedule: { kind: 'daily', at: '03:30' },
  async run(ctx) {
    const now = ctx.now().getTime()
    const sessions = await deleteExpiredSessions(ctx.db, new Date(now - EXPIRED_SESSION_GRACE_MS))
    await deleteFailuresBefore(ctx.db, new Date(now - THROTTLE_WINDOW_MS))
    ctx.logger.info({ sessions }, 'Expired sessions removed')
  },
}
