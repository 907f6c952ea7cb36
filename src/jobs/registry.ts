import { dailyRemindersJob } from './daily-reminders.js'
import { emailOutboxJob } from './email-outbox-job.js'
import { expiredSessionsJob } from './expired-sessions.js'
import type { JobDefinition } from './job.js'

/** Every job `kestrel serve` and `kestrel demo` run. Add a new job here (a name, a schedule, a run function). */
export function kestrelJobs(): JobDefinition[] {
  return [dailyRemindersJob, emailOutboxJob, expiredSessionsJob]
}
