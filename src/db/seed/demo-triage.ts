import { DateTime } from 'luxon'
import { isNamedInConcern } from '../../domain/allocation-rules.js'
import { DECISION_LABELS, RISK_LABELS } from '../../domain/decision-rules.js'
import { CONSENT_LABELS, OUTCOME_LABELS, type ConsentOverrideReason } from '../../domain/onward-referral-rules.js'
import { concernTypeLabel } from '../../domain/reference-lists.js'
import { generateRotation, workingDaysBetween } from '../../domain/rota.js'
import { addCalendarDays, isWorkingDay, LONDON, londonDate, nthWorkingDayAfter, type NonWorkingDates } from '../../domain/working-days.js'
import type { Consent, Decision, ReferralMethod, ReferralOutcome, RiskLevel } from '../schema.js'
import { DEMO_SEED, type DemoConcern, type DemoPlan } from './demo-plan.js'
import { Random } from './random.js'

/**
 * Triage in the demo (seed 000 §5): a duty rota for every working day, and every addressed
 * concern allocated and decided — within two working days, 93% (rounded) of each year's
 * decisions an onward referral (116 of 125 in 2021-22, 121 of 130 in 2022-23) — with realistic
 * agencies, consent positions and outcomes. Its own seeded generator, so the concerns themselves
 * come out exactly as before.
 */
export const ONWARD_SHARE = 0.93
const DSO_KEYS = ['manager', ...Array.from({ length: 12 }, (_, i) => `dso${i + 1}`)]

export interface PlannedAllocation {
  leadKey: string
  secondKey: string
  byKey: string
  at: Date
  reason: string | null
}

export interface PlannedReferral {
  agency: string
  madeAt: Date
  method: ReferralMethod
  contact: string
  agencyReference: string
  consent: Consent
  consentReason: string | null
  informationShared: string
  followUpOn: string
  outcome: ReferralOutcome | null
  outcomeNote: string | null
  outcomeRecordedAt: Date | null
}

export interface PlannedDecision {
  decision: Decision
  riskLevel: RiskLevel
  rationale: string
  secondAgreedAt: Date
  secondAgreementMethod: 'confirmed_in_kestrel' | 'recorded_by_lead'
  secondAgreementNote: string | null
}

export interface PlannedTriage {
  allocations: PlannedAllocation[]
  decision: PlannedDecision | null
  referrals: PlannedReferral[]
}

export interface TriagePlan {
  /** Working day → the DSO keys on duty. */
  rota: Map<string, string[]>
  /** Aligned with plan.concerns; null for a concern still waiting for allocation. */
  concerns: (PlannedTriage | null)[]
  /** The waiting concern that is allocated but not yet decided (its Lead is the demo DSO). */
  allocatedWaitingIndex: number | null
}

const RATIONALES: Record<Decision, string[]> = {
  onward_referral: [
    'The risk needs an assessment by the agency with the statutory duty. Referred the same day.',
    'Care and support needs appear unmet and the person may be unable to protect themselves. Referral made.',
    'Pattern of concern over several weeks. Discussed with the Second DSO; referral is proportionate.',
    'Information meets the threshold for the agency’s front door. Referred with the referrer’s account.',
  ],
  advice_and_guidance: [
    'Does not meet the threshold for a referral. Advised the referrer what to look for and when to raise it again.',
    'Low risk and the person is engaging with support. Referrer advised to signpost and keep a note.',
  ],
  no_further_action: ['Not a safeguarding matter on the information given; the referrer was told.', 'Risk already managed by the family and their GP; no further action.'],
  already_known_to_agency: ['Already open to the agency, which confirmed it is working with the person. Information passed to the allocated worker.', 'Known to the agency: the allocated worker has been told about this concern.'],
}

const CONTACTS = ['Duty team', 'Front door', 'Duty social worker', 'Non-emergency line', 'Referral inbox', 'Team manager']
const METHODS: [ReferralMethod, number][] = [['phone', 35], ['email', 20], ['portal', 35], ['form', 10]]
const OUTCOMES: [ReferralOutcome, number][] = [['accepted', 55], ['no_further_action', 15], ['signposted', 10], ['already_open', 15], ['other', 5]]
const AGENCY_PREFIX: Record<string, string> = {
  'Adult Social Care': 'ASC',
  'Children’s Social Care (MASH)': 'MASH',
  Police: 'POL',
  'Domestic abuse link worker': 'DA',
  'Children and Family Wellbeing Service (early help)': 'EH',
  'Action Fraud': 'AF',
  MARAC: 'MARAC',
  'Prevent/Channel': 'PRV',
  'GP or health service': 'NHS',
  'Fire and Rescue (safe and well visit)': 'FRS',
  'Housing options': 'HO',
}

function agencyFor(random: Random, concern: DemoConcern): string {
  const [group, type] = concern.concernTypes[0]!.split(':') as ['adult' | 'child', string]
  if (/Domestic abuse/i.test(type)) return random.weighted([['Domestic abuse link worker', 5], ['MARAC', 2], ['Police', 3]] as const)
  if (/Radicalisation/.test(type)) return 'Prevent/Channel'
  if (/exploitation|Modern Slavery/i.test(type)) return random.weighted([['Police', 5], [group === 'child' ? 'Children’s Social Care (MASH)' : 'Adult Social Care', 5]] as const)
  if (/Financial/.test(type)) return random.weighted([['Adult Social Care', 6], ['Action Fraud', 4]] as const)
  if (group === 'child') return random.weighted([['Children’s Social Care (MASH)', 75], ['Children and Family Wellbeing Service (early help)', 25]] as const)
  return random.weighted([['Adult Social Care', 78], ['GP or health service', 7], ['Fire and Rescue (safe and well visit)', 5], ['Housing options', 5], ['Police', 5]] as const)
}

function consentFor(random: Random, concern: DemoConcern): { consent: Consent; reason: string | null } {
  if (concern.atRisk === 'child' || concern.atRisk === 'unborn') {
    const consent = random.weighted([['given', 40], ['not_sought', 45], ['refused_referred', 15]] as const)
    if (consent === 'refused_referred') return { consent, reason: 'risk_to_child' satisfies ConsentOverrideReason }
    if (consent === 'not_sought') return { consent, reason: 'Seeking the parents’ consent could place the child at greater risk.' }
    return { consent, reason: null }
  }
  const consent = random.weighted([['given', 78], ['refused_referred', 12], ['not_sought', 10]] as const)
  if (consent === 'refused_referred') return { consent, reason: random.pick(['risk_to_others', 'vital_interests', 'serious_crime', 'lacks_capacity'] as const) }
  if (consent === 'not_sought') return { consent, reason: random.pick(['Telling the person could increase the risk from the alleged abuser.', 'The person could not be contacted and the risk could not wait.']) }
  return { consent, reason: null }
}

function clampBefore(at: Date, limit: Date): Date {
  return at.getTime() < limit.getTime() ? at : new Date(limit.getTime() - 60_000)
}

export function buildTriagePlan(plan: DemoPlan, now: Date, calendar: NonWorkingDates): TriagePlan {
  const random = new Random(DEMO_SEED + 3)
  const today = londonDate(now)
  const usersByKey = new Map(plan.users.map((u) => [u.key, u]))
  const dsoKeys = DSO_KEYS.filter((k) => usersByKey.has(k))

  // A rota for every working day from the first concern to two months ahead; the demo DSO is on duty today.
  const first = londonDate(plan.concerns[0]?.receivedAt ?? now)
  const days = workingDaysBetween(first, addCalendarDays(today, 60), calendar)
  const rota = generateRotation({ dates: days, dsoIds: random.shuffle(dsoKeys), absences: [], perDay: 1 })
  if (rota.has(today)) rota.set(today, ['dso1'])

  const dutyOn = (instant: Date): string => {
    const local = DateTime.fromJSDate(instant, { zone: LONDON })
    const date = local.toISODate()!
    const day = isWorkingDay(date, calendar) && local.hour < 17 ? date : nthWorkingDayAfter(date, 1, calendar)
    return rota.get(day)?.[0] ?? 'manager'
  }

  // Which decided concerns are onward referrals: exactly the rounded share of each financial year.
  const onward = new Set<number>()
  const byYear = new Map<number, number[]>()
  plan.concerns.forEach((c, i) => {
    if (c.addressedAt) byYear.set(c.financialYear, [...(byYear.get(c.financialYear) ?? []), i])
  })
  for (const indices of byYear.values()) {
    for (const i of random.shuffle(indices).slice(0, Math.round(indices.length * ONWARD_SHARE))) onward.add(i)
  }

  const waiting = plan.concerns.map((c, i) => (c.status === 'submitted' ? i : -1)).filter((i) => i >= 0)
  // The most recent waiting concern that is not the overdue one is allocated to the demo DSO, undecided.
  const allocatedWaitingIndex = waiting.length > 1 ? waiting[waiting.length - 1]! : null

  const concerns = plan.concerns.map((c, index): PlannedTriage | null => {
    if (!c.addressedAt && index !== allocatedWaitingIndex) return null
    const referrer = usersByKey.get(c.referrerKey)!
    const eligible = dsoKeys.filter((k) => k !== c.referrerKey && !isNamedInConcern(usersByKey.get(k)!.displayName, { personName: c.person.name, personKnownAs: c.person.knownAs, householdMembers: c.person.household }))
    void referrer
    const duty = dutyOn(c.receivedAt)
    let leadKey = eligible.includes(duty) && random.chance(0.4) ? duty : random.pick(eligible)
    let secondKey = random.pick(eligible.filter((k) => k !== leadKey))
    if (index === allocatedWaitingIndex) {
      leadKey = eligible.includes('dso1') ? 'dso1' : eligible[0]!
      secondKey = eligible.find((k) => k === 'dso2' && k !== leadKey) ?? eligible.find((k) => k !== leadKey)!
    }
    const end = c.addressedAt ?? now
    const span = end.getTime() - c.receivedAt.getTime()
    const allocatedAt = new Date(c.receivedAt.getTime() + Math.max(60_000, Math.min(span / 3, random.int(10, 90) * 60_000)))
    const allocations: PlannedAllocation[] = [{ leadKey, secondKey, byKey: duty, at: allocatedAt, reason: null }]
    if (c.addressedAt && random.chance(0.03)) {
      const newLead = random.pick(eligible.filter((k) => k !== leadKey && k !== secondKey))
      if (newLead) {
        allocations.push({ leadKey: newLead, secondKey, byKey: 'manager', at: new Date(allocatedAt.getTime() + (end.getTime() - allocatedAt.getTime()) / 3), reason: random.pick(['Lead DSO on leave', 'Lead DSO off sick', 'Workload: moved to another DSO']) })
        leadKey = newLead
      }
    }
    if (!c.addressedAt) return { allocations, decision: null, referrals: [] }

    const lastAllocation = allocations[allocations.length - 1]!.at
    const decisionKind: Decision = onward.has(index) ? 'onward_referral' : random.weighted([['advice_and_guidance', 5], ['no_further_action', 2], ['already_known_to_agency', 3]] as const)
    const byKestrel = random.chance(0.8)
    const agreedAt = new Date(Math.max(lastAllocation.getTime() + 60_000, c.addressedAt.getTime() - random.int(10, 90) * 60_000))
    const decision: PlannedDecision = {
      decision: decisionKind,
      riskLevel: c.immediateDanger ? 'immediate' : random.weighted([['low', 25], ['medium', 45], ['high', 25], ['immediate', 5]] as const),
      rationale: random.pick(RATIONALES[decisionKind]),
      secondAgreedAt: clampBefore(agreedAt, c.addressedAt),
      secondAgreementMethod: byKestrel ? 'confirmed_in_kestrel' : 'recorded_by_lead',
      secondAgreementNote: byKestrel ? null : random.pick(['By phone', 'In person at the duty desk', 'By Teams call']),
    }
    const referrals: PlannedReferral[] = []
    if (decisionKind === 'onward_referral') {
      const agencies = [agencyFor(random, c)]
      if (random.chance(0.15)) {
        const extra = agencyFor(random, c)
        if (!agencies.includes(extra)) agencies.push(extra)
      }
      for (const agency of agencies) {
        const madeAt = clampBefore(new Date(c.addressedAt.getTime() + random.int(5, 120) * 60_000), now)
        const followUpOn = addCalendarDays(londonDate(madeAt), 7)
        const { consent, reason } = consentFor(random, c)
        // Outcomes arrive around the follow-up date; the most recent referrals are still awaited (some overdue).
        const answered = addCalendarDays(followUpOn, 3) < today
        const outcome = answered ? random.weighted(OUTCOMES) : null
        const recordedAt = answered ? DateTime.fromISO(followUpOn, { zone: LONDON }).plus({ minutes: random.int(9 * 60, 16 * 60) }).toJSDate() : null
        referrals.push({
          agency,
          madeAt,
          method: random.weighted(METHODS),
          contact: random.pick(CONTACTS),
          agencyReference: `${AGENCY_PREFIX[agency] ?? 'REF'}-${random.int(10000, 99999)}`,
          consent,
          consentReason: reason,
          informationShared: 'Name, address, date of birth and a summary of what the referrer saw and heard.',
          followUpOn,
          outcome,
          outcomeNote: outcome === 'other' ? 'Agency asked for more information; passed on.' : null,
          outcomeRecordedAt: recordedAt && recordedAt < now ? recordedAt : null,
        })
      }
    }
    return { allocations, decision, referrals }
  })

  return { rota, concerns, allocatedWaitingIndex }
}

/** The chronology a concern's triage leaves behind, in the words the services use. */
export function triageChronology(c: DemoConcern, t: PlannedTriage, name: (key: string) => string, referrerName: string) {
  const entries: { at: Date; byKey: string | null; category: string; summary: string; significant: boolean }[] = []
  entries.push({ at: c.receivedAt, byKey: c.referrerKey, category: 'Concern received', summary: `Concern raised by ${referrerName}`, significant: true })
  t.allocations.forEach((a, i) => {
    const realloc = i > 0
    entries.push({ at: a.at, byKey: a.byKey, category: realloc ? 'Reallocated' : 'Allocated', summary: `${realloc ? 'Reallocated' : 'Allocated'} by ${name(a.byKey)}: Lead DSO ${name(a.leadKey)}, Second DSO ${name(a.secondKey)}.${a.reason ? ` Reason: ${a.reason}` : ''}`, significant: !realloc })
  })
  const lead = t.allocations[t.allocations.length - 1]!.leadKey
  const second = t.allocations[t.allocations.length - 1]!.secondKey
  if (t.decision && c.addressedAt) {
    const d = t.decision
    entries.push({
      at: d.secondAgreedAt,
      byKey: d.secondAgreementMethod === 'confirmed_in_kestrel' ? second : lead,
      category: 'Second DSO agreed',
      summary: d.secondAgreementMethod === 'confirmed_in_kestrel' ? `${name(second)} (Second DSO) confirmed agreement in Kestrel.` : `${name(lead)} (Lead DSO) recorded the Second DSO’s agreement: ${d.secondAgreementNote}`,
      significant: false,
    })
    entries.push({ at: c.addressedAt, byKey: lead, category: 'Types of concern confirmed', summary: `Types of concern: ${c.concernTypes.map(concernTypeLabel).join(', ')}.`, significant: false })
    entries.push({ at: c.addressedAt, byKey: lead, category: 'Initial decision', summary: `${DECISION_LABELS[d.decision]}; risk ${RISK_LABELS[d.riskLevel].toLowerCase()}. Recorded by ${name(lead)} (Lead DSO). Addressed within target.`, significant: true })
  }
  for (const r of t.referrals) {
    entries.push({ at: r.madeAt, byKey: lead, category: 'Onward referral', summary: `Referred to ${r.agency} by ${name(lead)}. ${CONSENT_LABELS[r.consent]}.`, significant: true })
    if (r.outcome && r.outcomeRecordedAt) entries.push({ at: r.outcomeRecordedAt, byKey: lead, category: 'Referral outcome', summary: `${r.agency}: ${OUTCOME_LABELS[r.outcome]}. Recorded by ${name(lead)}.`, significant: true })
  }
  return entries
}
