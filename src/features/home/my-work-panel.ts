import { isFollowUpOverdue } from '../../domain/onward-referral-rules.js'
import { describeTimeLeft, londonDate, timeLeft } from '../../domain/working-days.js'
import { listMyCases, listAwaitingAllocation } from '../../repositories/my-work-repository.js'
import { listOverdueFollowUps } from '../../repositories/onward-referral-repository.js'
import { isOnDuty } from '../../repositories/rota-repository.js'
import { audit } from '../../services/audit.js'
import { calendarAround } from '../../services/concern-clock.js'
import { formatDate } from '../../views.js'
import type { HomePanel } from './panels.js'

const CLOCK_TAGS = { overdue: 'govuk-tag--red', due_today: 'govuk-tag--orange', on_track: 'govuk-tag--green' } as const

/**
 * "My work" for DSOs and managers: what awaits their action (allocation while on duty, decisions
 * as Lead, agreement as Second, overdue follow-ups) sorted by urgency, then their cases.
 */
export const myWorkPanel: HomePanel = {
  template: 'home/my-work.njk',
  async load(deps, ctx) {
    const roles = ctx.user.roles
    const manager = roles.has('safeguarding_manager')
    if (!roles.has('dso') && !manager) return undefined
    const now = ctx.now()
    const today = londonDate(now)
    const organisationId = ctx.user.organisationId
    return deps.database.db.transaction().execute(async (tx) => {
      const onDuty = await isOnDuty(tx, organisationId, today, ctx.user.id)
      const [cases, toAllocate, followUps, calendar] = await Promise.all([
        listMyCases(tx, organisationId, ctx.user.id),
        onDuty || manager ? listAwaitingAllocation(tx, organisationId, ctx.user.id) : Promise.resolve([]),
        listOverdueFollowUps(tx, organisationId, ctx.user.id, today, manager ? {} : { leadId: ctx.user.id }),
        calendarAround(tx, organisationId, now),
      ])
      const clock = (dueAt: Date) => {
        const t = timeLeft(now, dueAt, calendar)
        return { text: describeTimeLeft(t), tag: CLOCK_TAGS[t.state] }
      }
      const actions = [
        ...toAllocate.map((c) => ({ kind: 'Allocate', id: c.id, reference: c.reference, person: c.person_name, sortKey: c.due_at.toISOString(), clock: clock(c.due_at) })),
        ...cases.filter((c) => c.status === 'allocated' && c.lead_dso_id === ctx.user.id).map((c) => ({ kind: 'Record the initial decision', id: c.id, reference: c.reference, person: c.person_name, sortKey: c.due_at.toISOString(), clock: clock(c.due_at) })),
        ...cases.filter((c) => c.status === 'allocated' && c.second_dso_id === ctx.user.id && !c.second_agreed_at).map((c) => ({ kind: 'Agree as Second DSO', id: c.id, reference: c.reference, person: c.person_name, sortKey: c.due_at.toISOString(), clock: clock(c.due_at) })),
        ...followUps
          .filter((f) => isFollowUpOverdue({ follow_up_on: f.follow_up_on, outcome: null }, today))
          .map((f) => ({ kind: `Follow up the referral to ${f.agency_other ?? f.agency}`, id: f.concern_id, reference: f.reference, person: f.person_name, sortKey: `${f.follow_up_on}T00:00:00.000Z`, clock: { text: `Follow-up was due ${formatDate(f.follow_up_on)}`, tag: 'govuk-tag--red' }, referrals: true, lead: manager ? f.lead_name : null })),
      ].sort((a, b) => a.sortKey.localeCompare(b.sortKey))
      const ids = [...new Set([...actions.map((a) => a.id), ...cases.map((c) => c.id)])]
      if (ids.length) await audit(tx, ctx, { action: 'concern.list', details: { list: 'my-work', count: ids.length, record_ids: ids } })
      return {
        onDuty,
        actions,
        cases: cases.map((c) => ({ ...c, role: c.lead_dso_id === ctx.user.id ? 'Lead DSO' : 'Second DSO', clock: c.addressed_at ? null : clock(c.due_at) })),
      }
    })
  },
}
