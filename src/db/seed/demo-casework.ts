import type { ChainKey } from '../../domain/audit-hash.js'
import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import { sql, type Transaction } from 'kysely'
import { isAdultConcern } from '../../domain/kpis/concern-facts.js'
import { REVIEW_KIND_LABELS, REVIEW_OUTCOME_LABELS } from '../../domain/review-agenda.js'
import { riskOutcomeApplies } from '../../domain/closure-rules.js'
import { addCalendarDays, isWorkingDay, LONDON, londonDate, nthWorkingDayAfter, type NonWorkingDates } from '../../domain/working-days.js'
import { newId } from '../../ids.js'
import { appendAudit } from '../../repositories/audit-repository.js'
import { REVIEW_CHRONOLOGY_CATEGORY } from '../../repositories/review-repository.js'
import type { DB, ReviewFlag, ReviewKind, ReviewOutcome } from '../schema.js'
import { DEMO_SEED, type DemoPlan } from './demo-plan.js'
import type { TriagePlan } from './demo-triage.js'
import { Random } from './random.js'

/**
 * The case record in the demo (issue 4): the person index (repeat concerns about the same
 * person linked), a weekly case review every Tuesday for the past years with First Reviews,
 * progress checks and Final Reviews, every closed case closed properly (ready for closure, Final
 * Review, request with the SAC outcomes, Senior Lead Officer approval), notes, tasks and
 * documents, a few cases waiting for their Final Review or for closure approval, and one
 * restricted case. Everything is written in bulk, so the first start stays fast.
 */
export interface CaseworkInput {
  organisationId: string
  plan: DemoPlan
  triage: TriagePlan
  userIds: ReadonlyMap<string, string>
  concernIds: readonly string[]
  now: Date
  calendar: NonWorkingDates
  chainKey: ChainKey | null
}

const NOTES = [
  'Phoned the person. They were expecting our call and talked openly about what has been happening.',
  'Spoke to the referrer to check a detail of what they saw; nothing new to add.',
  'Left a voicemail for the duty worker. Will try again tomorrow morning.',
  'Agency confirmed they have opened an assessment and allocated a worker.',
  'Discussed with the Second DSO; we agree the plan is still right.',
  'Home visit with the housing officer. The flat is warmer and there is food in the cupboards.',
  'Received an update by email from the GP surgery; they will review medication next week.',
  'Family member called to say things are calmer since the support started.',
]
const TASKS = ['Chase the agency for an outcome', 'Call the person to check in', 'Ask the GP for an update', 'Update the referrer', 'Book a joint visit with housing', 'Check the care package has started']
const REVIEW_NOTES: Record<ReviewOutcome, string[]> = {
  agreed: ['Plan agreed; no change needed.', 'Good progress; keep going.', 'Referral made promptly; agreed.', 'Case well managed.'],
  actions_set: ['Needs an update from the agency before next week.', 'Follow-up overdue: chase today.', 'Consider a joint visit.'],
  escalate: ['Risk is rising; escalated to the Senior Lead Officer.'],
}
const CLOSING = [
  'Support is in place and the agency has confirmed its involvement. The person says they feel safer.',
  'The agency completed its enquiry. No further safeguarding role for the council.',
  'Advice given and taken up; the risk is managed by the family with the GP.',
  'Care package started and reviewed after two weeks. Closing with the person’s agreement.',
]
const SAC_WEIGHTS: [string, number][] = [
  ['risk_identified_action_taken', 45],
  ['risk_identified_no_action', 4],
  ['inconclusive_action_taken', 12],
  ['inconclusive_no_action', 4],
  ['no_risk_action_taken', 10],
  ['no_risk_no_action', 15],
  ['ceased_at_request', 10],
]

async function chunked<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size))
}

/**
 * Thousands of rows in one statement with one array parameter per column (INSERT … SELECT FROM
 * unnest): far cheaper to build and parse than a VALUES list with a parameter per cell.
 */
async function bulkInsert<R extends Record<string, unknown>>(tx: Transaction<DB>, table: keyof DB, columns: { [K in keyof R]?: string }, rows: readonly R[]) {
  if (!rows.length) return
  const names = Object.keys(columns) as (keyof R & string)[]
  const arrays = names.map((n) => sql`${rows.map((r) => r[n] ?? null)}::${sql.raw(columns[n]!)}[]`)
  await sql`INSERT INTO ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(tx)
}

// Luxon is exact but slow for thousands of calls: each London date's offset is worked out once.
const midnights = new Map<string, { start: number; offsetAtNoon: number }>()
function at(date: string, hour: number, minute = 0): Date {
  let day = midnights.get(date)
  if (!day) {
    const noon = DateTime.fromISO(date, { zone: LONDON }).set({ hour: 12 })
    day = { start: Date.UTC(noon.year, noon.month - 1, noon.day), offsetAtNoon: noon.offset }
    midnights.set(date, day)
  }
  // Clocks change at 1–2am on a Sunday, so any time from 9am on is at the day's noon offset.
  return hour >= 9 ? new Date(day.start + (hour * 60 + minute - day.offsetAtNoon) * 60_000) : DateTime.fromISO(date, { zone: LONDON }).set({ hour, minute }).toJSDate()
}

/** Tuesdays (or the next working day when a Tuesday is a holiday) from `from` to before `until`. */
function meetingDates(from: string, until: string, calendar: NonWorkingDates): string[] {
  const dates: string[] = []
  let d = DateTime.fromISO(from)
  d = d.plus({ days: (2 - d.weekday + 7) % 7 }) // the next Tuesday (weekday 2)
  while (d.toISODate()! < until) {
    const iso = d.toISODate()!
    const held = isWorkingDay(iso, calendar) ? iso : nthWorkingDayAfter(iso, 1, calendar)
    if (held < until) dates.push(held)
    d = d.plus({ weeks: 1 })
  }
  return dates
}

// Memoised: the same few thousand dates come up again and again.
const shifted = new Map<string, string>()
function plusDays(date: string, days: number): string {
  const key = `${date}|${days}`
  let value = shifted.get(key)
  if (value === undefined) shifted.set(key, (value = addCalendarDays(date, days)))
  return value
}

function minimalPdf(title: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${title}\ntrailer << /Root 1 0 R >>\n%%EOF\n`)
}

export async function insertDemoCasework(tx: Transaction<DB>, input: CaseworkInput): Promise<Record<string, number>> {
  const { organisationId: org, plan, triage, userIds, concernIds, now, calendar } = input
  const random = new Random(DEMO_SEED + 11)
  const user = (key: string) => userIds.get(key)!
  const names = new Map(plan.users.map((u) => [u.key, u.displayName]))
  const today = londonDate(now)
  const manager = user('manager')
  const slo = user('slo')
  const dsoKeys = plan.users.filter((u) => u.roles.includes('dso')).map((u) => u.key)
  const leadOf = (i: number) => triage.concerns[i]!.allocations.at(-1)!.leadKey
  const secondOf = (i: number) => triage.concerns[i]!.allocations.at(-1)!.secondKey

  // --- The person index: one record per person; every addressed concern linked to its subject.
  const personIds = new Map<number, string>()
  const persons = []
  const links = []
  for (const [i, c] of plan.concerns.entries()) {
    if (!c.addressedAt) continue // concerns still in triage: the People tab offers the matches
    let personId = personIds.get(c.personIndex)
    if (!personId) {
      personId = newId()
      personIds.set(c.personIndex, personId)
      const p = c.person
      persons.push({ organisation_id: org, id: personId, name: p.name, other_names: p.knownAs, date_of_birth: p.dateOfBirth, age_years: p.dateOfBirth ? null : p.ageYears, address: p.address, postcode: p.postcode, created_at: c.addressedAt })
    }
    links.push({ organisation_id: org, concern_id: concernIds[i]!, person_id: personId, role: 'subject' as const, linked_by: user(leadOf(i)), linked_at: c.addressedAt })
  }
  await chunked(persons, 1000, (rows) => tx.insertInto('person').values(rows).execute())
  await bulkInsert(tx, 'concern_person', { organisation_id: 'uuid', concern_id: 'uuid', person_id: 'uuid', role: 'text', linked_by: 'uuid', linked_at: 'timestamptz' }, links)

  // --- Weekly meetings, every Tuesday since the first concern was addressed, up to today.
  const firstAddressed = plan.concerns.find((c) => c.addressedAt)?.addressedAt
  const dates = firstAddressed ? meetingDates(plusDays(londonDate(firstAddressed), 1), today, calendar) : []
  const meetings = dates.map((d) => ({ id: newId(), date: d }))
  const after = (date: string) => meetings.findIndex((m) => m.date > date)
  const lastBefore = (date: string, notBefore: string) => {
    let found = -1
    meetings.forEach((m, k) => {
      if (m.date < date && m.date > notBefore) found = k
    })
    return found
  }

  // Which open cases are on their way to closure now: two waiting for the Senior Lead Officer,
  // three marked ready (their Final Review is at the next meeting), one restricted.
  const lastMeeting = meetings.length - 1
  const openIdx = plan.concerns.map((c, i) => (c.status === 'open' && c.addressedAt ? i : -1)).filter((i) => i >= 0)
  const settled = (i: number) => triage.concerns[i]!.referrals.every((r) => r.outcome) && now.getTime() - plan.concerns[i]!.addressedAt!.getTime() > 18 * 86_400_000
  const candidates = openIdx.filter(settled)
  const awaitingApproval = new Set(candidates.filter((i) => isAdultConcern(plan.concerns[i]!.atRisk, plan.concerns[i]!.concernTypes)).slice(0, 2))
  const readyNow = new Set(candidates.filter((i) => !awaitingApproval.has(i)).slice(0, 3))
  const restrictedIdx = openIdx.find((i) => !awaitingApproval.has(i) && !readyNow.has(i) && leadOf(i) !== 'dso1')

  const items: { organisation_id: string; id: string; meeting_id: string; concern_id: string; kind: ReviewKind; flags: ReviewFlag[]; position: number; outcome: ReviewOutcome; notes: string; recorded_by: string; recorded_at: Date }[] = []
  const tasks: { organisation_id: string; id: string; concern_id: string; title: string; details: null; assignee_id: string; due_on: string; created_by: string; created_at: Date; review_item_id: string | null; completed_at: Date | null; completed_by: string | null; submission_key: string }[] = []
  const chronology: { organisation_id: string; id: string; concern_id: string; occurred_at: Date; recorded_at: Date; recorded_by: string | null; kind: 'system'; category: string; summary: string; significant: boolean }[] = []
  const system = (i: number, when: Date, by: string | null, category: string, summary: string, significant: boolean) =>
    chronology.push({ organisation_id: org, id: newId(), concern_id: concernIds[i]!, occurred_at: when, recorded_at: when, recorded_by: by, kind: 'system', category, summary, significant })
  const positions = new Map<string, number>()
  const dayNames = new Map<string, string>()
  const formatDay = (d: string) => dayNames.get(d) ?? dayNames.set(d, DateTime.fromISO(d).toFormat('d MMMM yyyy')).get(d)!

  /** Records one agenda line; an action set becomes a task, done in time for any closure (`finishBy`). */
  function review(i: number, k: number, kind: ReviewKind, outcome: ReviewOutcome, flags: ReviewFlag[] = [], finishBy: Date | null = null) {
    const m = meetings[k]!
    const position = (positions.get(m.id) ?? 0) + 1
    positions.set(m.id, position)
    const recordedAt = at(m.date, 10, Math.min(59, position))
    const id = newId()
    items.push({ organisation_id: org, id, meeting_id: m.id, concern_id: concernIds[i]!, kind, flags, position, outcome, notes: random.pick(REVIEW_NOTES[outcome]), recorded_by: manager, recorded_at: recordedAt })
    // A progress check that simply agreed is in the Reviews tab; the chronology keeps the rest
    // (the service writes every one; the demo leaves these out to load quickly).
    if (kind !== 'progress_check' || outcome !== 'agreed') system(i, recordedAt, manager, REVIEW_CHRONOLOGY_CATEGORY, `${REVIEW_KIND_LABELS[kind]} at the weekly case review on ${formatDay(m.date)}: ${REVIEW_OUTCOME_LABELS[outcome]}.${outcome === 'actions_set' ? ' One action set.' : ''}`, kind !== 'progress_check' || outcome === 'escalate')
    if (outcome === 'actions_set') {
      const due = plusDays(m.date, 7)
      const planned = due < today || finishBy ? at(plusDays(m.date, random.int(1, 6)), 15) : null
      const done = planned && finishBy && planned.getTime() >= finishBy.getTime() ? new Date(Math.max(recordedAt.getTime() + 3_600_000, finishBy.getTime() - 3_600_000)) : planned
      tasks.push({ organisation_id: org, id: newId(), concern_id: concernIds[i]!, title: random.pick(TASKS), details: null, assignee_id: user(leadOf(i)), due_on: due, created_by: manager, created_at: recordedAt, review_item_id: id, completed_at: done && done < now ? done : null, completed_by: done && done < now ? user(leadOf(i)) : null, submission_key: newId() })
    }
    return recordedAt
  }

  const closures: { id: string; ready: Date; requestedAt: Date; requestedBy: string; summary: string; sac: string | null; risk: string | null; asked: string | null; achieved: string | null; approvedBy: string | null; status: 'closed' | 'closure_requested' }[] = []
  const requests: { organisation_id: string; id: string; concern_id: string; requested_by: string; requested_at: Date; closing_summary: string; sac_outcome: string | null; risk_outcome: string | null; msp_asked: string | null; msp_achieved: string | null; decision: 'approved' | 'returned' | null; decided_by: string | null; decided_at: Date | null; comments: string | null; submission_key: string }[] = []
  const readyMarks: { id: string; ready: Date }[] = []

  function adultAnswers(i: number) {
    const c = plan.concerns[i]!
    if (!isAdultConcern(c.atRisk, c.concernTypes)) return { sac: null, risk: null, asked: null, achieved: null }
    const sac = random.weighted(SAC_WEIGHTS)
    const asked = random.weighted([['asked_expressed', 62], ['asked_not_expressed', 18], ['not_asked', 12], ['dont_know', 4], ['not_recorded', 4]] as const)
    return {
      sac,
      risk: riskOutcomeApplies(sac) ? random.weighted([['risk_reduced', 60], ['risk_removed', 30], ['risk_remained', 10]] as const) : null,
      asked,
      achieved: asked === 'asked_expressed' ? random.weighted([['fully', 55], ['partially', 35], ['not', 10]] as const) : null,
    }
  }

  for (const [i, c] of plan.concerns.entries()) {
    if (!c.addressedAt || !triage.concerns[i]?.decision) continue
    const addressed = londonDate(c.addressedAt)
    const lead = user(leadOf(i))
    const first = after(addressed)
    const closing = c.status === 'closed' && c.closedAt ? lastBefore(londonDate(c.closedAt), addressed) : awaitingApproval.has(i) ? lastMeeting : -1
    const until = closing >= 0 ? closing : lastMeeting
    // Actions on a case being closed are done before its Final Review.
    const finishBy = closing >= 0 ? at(meetings[closing]!.date, 9) : null
    if (first >= 0 && first < (closing >= 0 ? closing : Infinity)) review(i, first, 'first_review', random.chance(0.25) ? 'actions_set' : 'agreed', [], finishBy)
    for (let k = first + 1; first >= 0 && k <= until && k < (closing >= 0 ? closing : Infinity); k++) {
      const quiet = random.chance(0.08)
      review(i, k, 'progress_check', random.weighted([['agreed', 82], ['actions_set', 15], ['escalate', 3]] as const), quiet ? ['inactive'] : [], finishBy)
    }
    if (closing >= 0 && first >= 0) {
      const meetingDate = meetings[closing]!.date
      const readyDay = plusDays(meetingDate, -random.int(1, 4))
      const ready = new Date(Math.max(at(readyDay, 16).getTime(), c.addressedAt.getTime() + 3_600_000))
      system(i, ready, lead, 'Ready for closure', `${names.get(leadOf(i))} (Lead DSO) marked the case ready for closure. It will have its Final Review at the next weekly case review.`, false)
      const finalAt = review(i, closing, 'final_review', 'agreed')
      const requestedAt = new Date(finalAt.getTime() + random.int(2, 6) * 3_600_000)
      const answers = adultAnswers(i)
      const summary = random.pick(CLOSING)
      const pending = c.status !== 'closed'
      // Now and then the Senior Lead Officer returned a request first, asking for one more thing.
      const returned = !pending && c.closedAt!.getTime() - requestedAt.getTime() > 4 * 86_400_000 && random.chance(0.06)
      if (returned) {
        requests.push({ organisation_id: org, id: newId(), concern_id: concernIds[i]!, requested_by: lead, requested_at: requestedAt, closing_summary: summary, sac_outcome: answers.sac, risk_outcome: answers.risk, msp_asked: answers.asked, msp_achieved: answers.achieved, decision: 'returned', decided_by: slo, decided_at: new Date(requestedAt.getTime() + 86_400_000), comments: 'Please record the agency’s final outcome in the chronology first.', submission_key: newId() })
        system(i, requestedAt, lead, 'Closure requested', `${names.get(leadOf(i))} (Lead DSO) asked the Senior Lead Officer to close the case.`, true)
        system(i, new Date(requestedAt.getTime() + 86_400_000), slo, 'Closure returned', `${names.get('slo')} (Senior Lead Officer) returned the closure request: Please record the agency’s final outcome in the chronology first.`, true)
      }
      const finalRequest = returned ? new Date(requestedAt.getTime() + 2 * 86_400_000) : requestedAt
      requests.push({ organisation_id: org, id: newId(), concern_id: concernIds[i]!, requested_by: lead, requested_at: finalRequest, closing_summary: summary, sac_outcome: answers.sac, risk_outcome: answers.risk, msp_asked: answers.asked, msp_achieved: answers.achieved, decision: pending ? null : 'approved', decided_by: pending ? null : slo, decided_at: pending ? null : c.closedAt, comments: null, submission_key: newId() })
      system(i, finalRequest, lead, 'Closure requested', `${names.get(leadOf(i))} (Lead DSO) asked the Senior Lead Officer to close the case.`, true)
      if (!pending) system(i, c.closedAt!, slo, 'Closed', `${names.get('slo')} (Senior Lead Officer) approved the closure. The case is closed.`, true)
      closures.push({ id: concernIds[i]!, ready, requestedAt: finalRequest, requestedBy: lead, summary, ...answers, approvedBy: pending ? null : slo, status: pending ? 'closure_requested' : 'closed' })
    } else if (readyNow.has(i)) {
      const ready = at(plusDays(today, -1), 15)
      readyMarks.push({ id: concernIds[i]!, ready })
      system(i, ready, lead, 'Ready for closure', `${names.get(leadOf(i))} (Lead DSO) marked the case ready for closure. It will have its Final Review at the next weekly case review.`, false)
    }
  }

  // --- Notes, tasks and documents: every case has a few notes; open cases have tasks to do.
  const notes = []
  const documents = []
  const contents = []
  for (const [i, c] of plan.concerns.entries()) {
    if (!c.addressedAt || !triage.concerns[i]?.decision) continue
    const end = c.closedAt ?? now
    const lead = user(leadOf(i))
    const open = c.status === 'open'
    const count = open ? random.int(1, 3) : random.int(0, 2)
    for (let n = 0; n < count; n++) {
      const when = new Date(c.addressedAt.getTime() + ((end.getTime() - c.addressedAt.getTime()) * (n + 1)) / (count + 1))
      notes.push({ organisation_id: org, id: newId(), concern_id: concernIds[i]!, body: random.pick(NOTES), author_id: random.chance(0.8) ? lead : user(secondOf(i)), created_at: when, corrects_id: null, submission_key: newId() })
    }
    if (open && !readyNow.has(i) && !awaitingApproval.has(i)) {
      for (let n = random.int(1, 2); n > 0; n--) {
        const due = plusDays(today, random.weighted([[-3, 2], [-1, 1], [0, 1], [2, 3], [6, 3]] as const))
        const assignee = random.chance(0.15) ? user('dso1') : lead
        tasks.push({ organisation_id: org, id: newId(), concern_id: concernIds[i]!, title: random.pick(TASKS), details: null, assignee_id: assignee, due_on: due, created_by: lead, created_at: new Date(Math.min(now.getTime() - 3_600_000, c.addressedAt.getTime() + 86_400_000)), review_item_id: null, completed_at: null, completed_by: null, submission_key: newId() })
      }
    }
    if (open || (c.closedAt && now.getTime() - c.closedAt.getTime() < 120 * 86_400_000 && random.chance(0.3))) {
      const docs: [string, string, Buffer][] = random.chance(0.5) ? [['Strategy meeting minutes.pdf', 'pdf', minimalPdf('Strategy meeting minutes (demo)')]] : [['Notes of call with the agency.txt', 'text', Buffer.from('Call with the agency duty desk.\nThey have opened an assessment and will write to us.\n')]]
      for (const [name, type, bytes] of docs) {
        const id = newId()
        documents.push({ organisation_id: org, id, concern_id: concernIds[i]!, original_name: name, file_type: type, size_bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), description: null, uploaded_by: lead, uploaded_at: new Date(c.addressedAt.getTime() + 2 * 86_400_000 < end.getTime() ? c.addressedAt.getTime() + 2 * 86_400_000 : c.addressedAt.getTime() + 3_600_000), submission_key: newId() })
        contents.push({ organisation_id: org, document_id: id, content: bytes })
      }
    }
  }

  await chunked(meetings, 1000, (rows) => tx.insertInto('review_meeting').values(rows.map((m) => ({ organisation_id: org, id: m.id, meeting_date: m.date, created_by: manager, created_at: at(plusDays(m.date, -1), 16), completed_at: at(m.date, 12), completed_by: manager, submission_key: newId() }))).execute())
  const attendees = meetings.flatMap((m) => [...new Set(['manager', 'slo', ...random.shuffle(dsoKeys).slice(0, 3)])].map((k) => ({ organisation_id: org, meeting_id: m.id, user_id: user(k) })))
  await chunked(attendees, 2000, (rows) => tx.insertInto('review_meeting_attendee').values(rows).execute())
  // Flags travel as a comma-separated string (an array of arrays does not unnest) and are split in SQL.
  if (items.length) {
    const col = <K extends keyof (typeof items)[number]>(k: K) => items.map((i) => i[k])
    await sql`INSERT INTO review_item (organisation_id, id, meeting_id, concern_id, kind, flags, position, outcome, notes, recorded_by, recorded_at)
      SELECT o, i, m, c, k, CASE WHEN f = '' THEN '{}'::text[] ELSE string_to_array(f, ',') END, p, oc, n, rb, ra
      FROM unnest(${col('organisation_id')}::uuid[], ${col('id')}::uuid[], ${col('meeting_id')}::uuid[], ${col('concern_id')}::uuid[], ${col('kind')}::text[], ${items.map((i) => i.flags.join(','))}::text[],
        ${col('position')}::int[], ${col('outcome')}::text[], ${col('notes')}::text[], ${col('recorded_by')}::uuid[], ${col('recorded_at')}::timestamptz[]) AS u(o, i, m, c, k, f, p, oc, n, rb, ra)`.execute(tx)
  }
  await bulkInsert(tx, 'case_task', { organisation_id: 'uuid', id: 'uuid', concern_id: 'uuid', title: 'text', assignee_id: 'uuid', due_on: 'date', created_by: 'uuid', created_at: 'timestamptz', review_item_id: 'uuid', completed_at: 'timestamptz', completed_by: 'uuid', submission_key: 'uuid' }, tasks)
  await bulkInsert(tx, 'case_note', { organisation_id: 'uuid', id: 'uuid', concern_id: 'uuid', body: 'text', author_id: 'uuid', created_at: 'timestamptz', submission_key: 'uuid' }, notes)
  await chunked(documents, 500, (rows) => tx.insertInto('case_document').values(rows).execute())
  await chunked(contents, 200, (rows) => tx.insertInto('document_content').values(rows).execute())
  await bulkInsert(tx, 'closure_request', { organisation_id: 'uuid', id: 'uuid', concern_id: 'uuid', requested_by: 'uuid', requested_at: 'timestamptz', closing_summary: 'text', sac_outcome: 'text', risk_outcome: 'text', msp_asked: 'text', msp_achieved: 'text', decision: 'text', decided_by: 'uuid', decided_at: 'timestamptz', comments: 'text', submission_key: 'uuid' }, requests)
  await bulkInsert(tx, 'chronology_entry', { organisation_id: 'uuid', id: 'uuid', concern_id: 'uuid', occurred_at: 'timestamptz', recorded_at: 'timestamptz', recorded_by: 'uuid', kind: 'text', category: 'text', summary: 'text', significant: 'boolean' }, chronology)

  // The concern rows' closure columns, in a few statements (UPDATE … FROM VALUES).
  await chunked(closures, 500, (rows) =>
    sql`UPDATE concern AS c SET status = v.status, ready_for_closure_at = v.ready, closure_requested_at = v.requested_at, closure_requested_by = v.requested_by,
          closing_summary = v.summary, sac_outcome = v.sac, risk_outcome = v.risk, msp_asked = v.asked, msp_achieved = v.achieved, closure_approved_by = v.approved_by
        FROM (VALUES ${sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.status}, ${r.ready}::timestamptz, ${r.requestedAt}::timestamptz, ${r.requestedBy}::uuid, ${r.summary}, ${r.sac}, ${r.risk}, ${r.asked}, ${r.achieved}, ${r.approvedBy}::uuid)`))})
          AS v(id, status, ready, requested_at, requested_by, summary, sac, risk, asked, achieved, approved_by)
        WHERE c.organisation_id = ${org} AND c.id = v.id`.execute(tx),
  )
  if (readyMarks.length) {
    await sql`UPDATE concern AS c SET ready_for_closure_at = v.ready FROM (VALUES ${sql.join(readyMarks.map((r) => sql`(${r.id}::uuid, ${r.ready}::timestamptz)`))}) AS v(id, ready) WHERE c.organisation_id = ${org} AND c.id = v.id`.execute(tx)
  }
  if (restrictedIdx !== undefined) {
    const id = concernIds[restrictedIdx]!
    const named = [...new Set(['manager', 'slo', leadOf(restrictedIdx), secondOf(restrictedIdx)])]
    const when = new Date(plan.concerns[restrictedIdx]!.addressedAt!.getTime() + 3_600_000)
    await tx.updateTable('concern').set({ restricted: true }).where('organisation_id', '=', org).where('id', '=', id).execute()
    await tx.insertInto('concern_access').values(named.map((k) => ({ organisation_id: org, concern_id: id, user_id: user(k), granted_by: manager, granted_at: when }))).execute()
    await tx.insertInto('chronology_entry').values({ organisation_id: org, id: newId(), concern_id: id, occurred_at: when, recorded_at: when, recorded_by: manager, kind: 'system', category: 'Case restricted', summary: `${names.get('manager')} restricted the case to: ${named.map((k) => names.get(k)).join(', ')}. Reason: the alleged person responsible is a member of council staff.`, significant: true }).execute()
  }
  const counts = { people: persons.length, meetings: meetings.length, review_items: items.length, tasks: tasks.length, notes: notes.length, documents: documents.length, closure_requests: requests.length, restricted: restrictedIdx === undefined ? 0 : 1 }
  await appendAudit(tx, { organisationId: org, actorUserId: null, action: 'demo.seed-casework', occurredAt: now, details: counts, chainKey: input.chainKey })
  return counts
}
