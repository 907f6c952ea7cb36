import { deliverDueEmails } from '../services/email/outbox-delivery.js'
import type { JobDefinition } from './job.js'

/** Sends what is waiting in the email outbox (and retries what failed) every 30 seconds. */
export const emailOutboxJob: JobDefinition = {
  name: 'email-outbox',
  schedule: { kind: 'every', seconds: 30 },
  leaseMs: 5 * 60_000,
  async run(ctx) {
    // Drain in batches, bounded so one run cannot go on forever.
    for (let i = 0; i < 10; i++) {
      const { sent, failed } = await deliverDueEmails({ db: ctx.db, config: ctx.config, logger: ctx.logger, now: ctx.now })
      if (sent + failed === 0) break
    }
  },
}
