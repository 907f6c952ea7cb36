import type { Transaction } from 'kysely'
import { newId } from '../../ids.js'
import { paths } from '../../paths.js'
import { allocationMessage, referrerUpdateMessage, type Message } from '../../services/notification-messages.js'
import type { DB } from '../schema.js'
import type { DemoPlan } from './demo-plan.js'
import { triageChronology, type TriagePlan } from './demo-triage.js'

async function chunked<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size))
}

/** The concern columns triage sets, for the concern rows the demo inserts. */
export function triageColumns(triage: TriagePlan, index: number, userIds: ReadonlyMap<string, string>) {
  const t = triage.concerns[index]
  if (!t) return {}
  const current = t.allocations[t.allocations.length - 1]!
  const lead = userIds.get(current.leadKey)!
  return {
    lead_dso_id: lead,
    second_dso_id: userIds.get(current.secondKey)!,
    allocated_at: current.at,
    allocated_by: userIds.get(current.byKey)!,
    ...(t.decision
      ? {
          risk_level: t.decision.riskLevel,
          decision: t.decision.decision,
          decision_rationale: t.decision.rationale,
          decided_by: lead,
          second_agreed_at: t.decision.secondAgreedAt,
          second_agreement_method: t.decision.secondAgreementMethod,
          second_agreement_note: t.decision.secondAgreementNote,
        }
      : { status: 'allocated' as const }),
  }
}

/**
 * Writes the rota, allocation history, onward referrals, chronology and a few notifications
 * (kept in the outbox) for the demo, in batches. Concern rows already carry their triage columns.
 */
export async function insertDemoTriage(tx: Transaction<DB>, organisationId: string, plan: DemoPlan, triage: TriagePlan, userIds: ReadonlyMap<string, string>, concernIds: readonly string[], references: readonly string[], now: Date) {
  const user = (key: string) => userIds.get(key)!
  const names = new Map(plan.users.map((u) => [u.key, u.displayName]))
  const name = (key: string) => names.get(key) ?? key

  const rotaDates = [...triage.rota.keys()]
  await chunked(rotaDates, 3000, (dates) => tx.insertInto('rota_date').values(dates.map((duty_date) => ({ organisation_id: organisationId, duty_date, updated_by: user('manager'), updated_at: now }))).execute())
  const duties = [...triage.rota].flatMap(([duty_date, keys]) => keys.map((k) => ({ organisation_id: organisationId, duty_date, user_id: user(k) })))
  await chunked(duties, 3000, (rows) => tx.insertInto('rota_duty').values(rows).execute())

  const allocations = []
  const referrals = []
  const chronology = []
  for (const [index, t] of triage.concerns.entries()) {
    if (!t) continue
    const c = plan.concerns[index]!
    const concernId = concernIds[index]!
    for (const a of t.allocations) {
      allocations.push({ organisation_id: organisationId, id: newId(), concern_id: concernId, lead_dso_id: user(a.leadKey), second_dso_id: user(a.secondKey), allocated_by: user(a.byKey), allocated_at: a.at, reason: a.reason })
    }
    const lead = user(t.allocations[t.allocations.length - 1]!.leadKey)
    for (const r of t.referrals) {
      referrals.push({
        organisation_id: organisationId,
        id: newId(),
        concern_id: concernId,
        agency: r.agency,
        made_at: r.madeAt,
        method: r.method,
        contact: r.contact,
        agency_reference: r.agencyReference,
        consent: r.consent,
        consent_reason: r.consentReason,
        information_shared: r.informationShared,
        follow_up_on: r.followUpOn,
        outcome: r.outcome,
        outcome_note: r.outcomeNote,
        outcome_recorded_at: r.outcomeRecordedAt,
        outcome_recorded_by: r.outcomeRecordedAt ? lead : null,
        created_by: lead,
        created_at: r.madeAt,
        submission_key: newId(),
      })
    }
    for (const e of triageChronology(c, t, name, name(c.referrerKey))) {
      chronology.push({ organisation_id: organisationId, id: newId(), concern_id: concernId, occurred_at: e.at, recorded_at: e.at, recorded_by: e.byKey ? user(e.byKey) : null, kind: 'system' as const, category: e.category, summary: e.summary, significant: e.significant })
    }
  }
  // Concerns still waiting have only their receipt in the chronology.
  for (const [index, c] of plan.concerns.entries()) {
    if (triage.concerns[index]) continue
    chronology.push({ organisation_id: organisationId, id: newId(), concern_id: concernIds[index]!, occurred_at: c.receivedAt, recorded_at: c.receivedAt, recorded_by: user(c.referrerKey), kind: 'system' as const, category: 'Concern received', summary: `Concern raised by ${name(c.referrerKey)}`, significant: true })
  }
  await chunked(allocations, 2000, (rows) => tx.insertInto('concern_allocation').values(rows).execute())
  await chunked(referrals, 1500, (rows) => tx.insertInto('onward_referral').values(rows).execute())
  await chunked(chronology, 2000, (rows) => tx.insertInto('chronology_entry').values(rows).execute())

  // A few notifications, as the services would have sent them (emails kept in the outbox).
  const base = 'http://localhost:3000'
  const notes: { key: string; concernId: string; message: Message; href: string; at: Date }[] = []
  if (triage.allocatedWaitingIndex !== null) {
    const i = triage.allocatedWaitingIndex
    const a = triage.concerns[i]!.allocations[0]!
    const id = concernIds[i]!
    notes.push({ key: a.leadKey, concernId: id, message: allocationMessage(references[i]!, 'Lead DSO', `${base}${paths.concern(id)}`), href: paths.concern(id), at: a.at })
    notes.push({ key: a.secondKey, concernId: id, message: allocationMessage(references[i]!, 'Second DSO', `${base}${paths.concern(id)}`), href: paths.concern(id), at: a.at })
  }
  for (const [i, c] of plan.concerns.entries()) {
    if (!c.addressedAt || now.getTime() - c.addressedAt.getTime() > 21 * 86_400_000) continue
    const t = triage.concerns[i]!
    const id = concernIds[i]!
    notes.push({ key: c.referrerKey, concernId: id, message: referrerUpdateMessage(references[i]!, name(t.allocations[t.allocations.length - 1]!.leadKey), `${base}${paths.myConcern(id)}`), href: paths.myConcern(id), at: c.addressedAt })
  }
  const emails = new Map(plan.users.map((u) => [u.key, u.email]))
  if (notes.length) {
    await tx.insertInto('notification').values(notes.map((n) => ({ organisation_id: organisationId, id: newId(), user_id: user(n.key), kind: n.message.kind, concern_id: n.concernId, text: n.message.text, href: n.href, created_at: n.at, dedupe_key: null }))).execute()
    await tx
      .insertInto('email_outbox')
      .values(notes.map((n) => ({ organisation_id: organisationId, id: newId(), to_address: emails.get(n.key)!, kind: n.message.kind, subject: n.message.subject, body: n.message.body, personalisation: JSON.stringify(n.message.personalisation), status: 'held' as const, next_attempt_at: n.at, created_at: n.at, dedupe_key: null })))
      .execute()
  }
  return { allocations: allocations.length, referrals: referrals.length, chronology: chronology.length, notifications: notes.length }
}
