import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import holidays from '../reference/bank-holidays-england-and-wales.json' with { type: 'json' }
import { isNamedInConcern } from '../../domain/allocation-rules.js'
import { workingDaysBetween } from '../../domain/rota.js'
import { isWithinTarget, londonDate } from '../../domain/working-days.js'
import { buildDemoPlan, financialYearOf } from './demo-plan.js'
import { buildTriagePlan } from './demo-triage.js'

const NOW = new Date('2026-03-09T10:15:00Z')
const calendar = new Set(holidays.events.map((e) => e.date))

describe('triage in the demo council (seed 000 §5)', () => {
  const plan = buildDemoPlan(NOW, calendar)
  const triage = buildTriagePlan(plan, NOW, calendar)
  const users = new Map(plan.users.map((u) => [u.key, u]))

  it('is the same every time it is built', () => {
    assert.deepEqual(buildTriagePlan(buildDemoPlan(NOW, calendar), NOW, calendar), triage)
  })

  it('decides every past-year concern within two working days, 93% of them an onward referral (116 of 125, 121 of 130)', () => {
    for (const [fy, total, onward] of [[2021, 125, 116], [2022, 130, 121]] as const) {
      const year = plan.concerns.map((c, i) => ({ c, t: triage.concerns[i] })).filter(({ c }) => financialYearOf(c.receivedAt) === fy)
      assert.equal(year.length, total)
      assert.ok(year.every(({ c, t }) => c.addressedAt && t?.decision && isWithinTarget(c.addressedAt, c.dueAt)), `all addressed within target in ${fy}`)
      assert.equal(year.filter(({ t }) => t!.decision!.decision === 'onward_referral').length, onward)
      assert.equal(Math.round((onward / total) * 100), 93)
      assert.ok(year.every(({ t }) => (t!.decision!.decision === 'onward_referral') === t!.referrals.length > 0), 'onward referrals, and only they, have agencies')
    }
  })

  it('follows the allocation, agreement and referral rules everywhere', () => {
    plan.concerns.forEach((c, i) => {
      const t = triage.concerns[i]
      if (!t) return
      for (const a of t.allocations) {
        assert.notEqual(a.leadKey, a.secondKey)
        assert.ok(a.leadKey !== c.referrerKey && a.secondKey !== c.referrerKey, 'never the referrer')
        for (const key of [a.leadKey, a.secondKey]) {
          assert.ok(users.get(key)!.roles.includes('dso'))
          assert.ok(!isNamedInConcern(users.get(key)!.displayName, { personName: c.person.name, personKnownAs: c.person.knownAs, householdMembers: c.person.household }))
        }
        assert.ok(a.at >= c.receivedAt)
        if (c.addressedAt) assert.ok(a.at <= c.addressedAt)
      }
      if (t.decision && c.addressedAt) {
        assert.ok(t.decision.secondAgreedAt <= c.addressedAt && t.decision.secondAgreedAt >= t.allocations[0]!.at)
        assert.ok(t.decision.rationale.length > 0)
      }
      for (const r of t.referrals) {
        assert.ok(r.followUpOn >= londonDate(r.madeAt))
        assert.ok(r.consent === 'given' ? r.consentReason === null : !!r.consentReason)
        if (r.outcomeRecordedAt) assert.ok(r.outcomeRecordedAt <= NOW)
      }
    })
    const consents = new Set(triage.concerns.flatMap((t) => t?.referrals.map((r) => r.consent) ?? []))
    assert.deepEqual([...consents].sort(), ['given', 'not_sought', 'refused_referred'])
    const agencies = new Set(triage.concerns.flatMap((t) => t?.referrals.map((r) => r.agency) ?? []))
    assert.ok(agencies.has('Adult Social Care') && agencies.has('Children’s Social Care (MASH)') && agencies.size >= 6)
  })

  it('has someone on duty every working day, the demo DSO today, and one new concern allocated but undecided', () => {
    const first = londonDate(plan.concerns[0]!.receivedAt)
    for (const day of workingDaysBetween(first, '2026-04-30', calendar)) assert.equal(triage.rota.get(day)?.length, 1, day)
    assert.deepEqual(triage.rota.get('2026-03-09'), ['dso1'])
    const i = triage.allocatedWaitingIndex!
    assert.equal(plan.concerns[i]!.addressedAt, null)
    assert.equal(triage.concerns[i]!.allocations[0]!.leadKey, 'dso1')
    assert.equal(triage.concerns[i]!.decision, null)
    assert.ok(plan.concerns.some((c, j) => c.status === 'submitted' && !triage.concerns[j] && c.dueAt < NOW), 'one still waiting is overdue')
  })
})
