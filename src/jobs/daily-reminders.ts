import { reminderCounts } from '../domain/reminders.js'
import { endOfLondonDay, isWorkingDay, londonDate } from '../domain/working-days.js'
import { paths } from '../paths.js'
import { appendAudit } from '../repositories/audit-repository.js'
import { nonWorkingDates } from '../repositories/calendar-repository.js'
import { listOrganisationIds } from '../repositories/organisation-repository.js'
import { activeUsersByIds, listFollowUpsOverdue, listWaitingDueBy } from '../repositories/reminder-repository.js'
import { listDuties } from '../repositories/rota-repository.js'
import { listActiveUsersWithRole } from '../repositories/user-repository.js'
import { dailyReminderMessage } from '../services/notification-messages.js'
import { notifyPerson } from '../services/notifications.js'
import type { JobContext, JobDefinition } from './job.js'
import { currentChainKey } from '../services/audit-keys.js'

/**
 * At the start of each working day: tell each Lead DSO (or today's duty DSOs, for concerns not
 * yet allocated) and the safeguarding managers about concerns due today or overdue, and about
 * referral outcomes overdue for follow-up. One message per person per day (dedupe key), so a
 * repeated run sends nothing twice.
 */
export const dailyRemindersJob: JobDefinition = {
  name: 'daily-reminders',
  schedule: { kind: 'daily', at: '07:00' },
  run: sendDailyReminders,
}

export async function sendDailyReminders(ctx: JobContext): Promise<void> {
  const now = ctx.now()
  const today = londonDate(now)
  for (const organisationId of await listOrganisationIds(ctx.db)) {
    await ctx.db.transaction().execute(async (tx) => {
      const calendar = await nonWorkingDates(tx, organisationId, today, today)
      if (!isWorkingDay(today, calendar)) return
      const [concerns, followUps, duties, managers] = await Promise.all([
        listWaitingDueBy(tx, organisationId, endOfLondonDay(today)),
        listFollowUpsOverdue(tx, organisationId, today),
        listDuties(tx, organisationId, today, today),
        listActiveUsersWithRole(tx, organisationId, 'safeguarding_manager'),
      ])
      const counts = reminderCounts(
        today,
        concerns.map((c) => ({ dueAt: c.due_at, leadId: c.lead_dso_id, namedIds: c.named_ids })),
        followUps.map((f) => ({ leadId: f.lead_dso_id, namedIds: f.named_ids })),
        duties.map((d) => d.user_id),
        managers.map((m) => m.id),
      )
      const people = await activeUsersByIds(tx, organisationId, [...counts.keys()])
      let sent = 0
      for (const person of people) {
        const message = dailyReminderMessage(today, counts.get(person.id)!, `${ctx.config.publicUrl}${paths.home()}`)
        if (await notifyPerson(tx, organisationId, person, message, { href: paths.home(), now, dedupeKey: `daily-reminder:${today}:${person.id}` })) sent++
      }
      if (sent > 0) await appendAudit(tx, { organisationId, actorUserId: null, action: 'reminder.daily', occurredAt: now, details: { date: today, recipients: sent, concerns: concerns.length, follow_ups: followUps.length }, chainKey: currentChainKey(ctx.config.encryptionKeys) })
    })
  }
}
