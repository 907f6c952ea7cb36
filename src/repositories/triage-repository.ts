import { sql } from 'kysely'
import type { ConcernStatus, Decision, RiskLevel } from '../db/schema.js'
import { newId } from '../ids.js'
import type { Executor } from './executor.js'

/** Allocation, the initial decision and the Second DSO's agreement: compare-and-set on the concern's version. */

export async function userNames(db: Executor, organisationId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (wanted.length === 0) return new Map()
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('organisation_id', '=', organisationId).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, r.display_name]))
}

export interface AllocationValues {
  leadId: string
  secondId: string
  by: string
  at: Date
  reason: string | null
  /** The status after allocation: the version check guarantees it was computed from the current row. */
  status: ConcernStatus
  resetAgreement: boolean
}

/**
 * Sets the Lead and Second DSO if nobody changed the concern since `expectedVersion`. A new
 * Second DSO before the decision has not agreed to anything yet, so any earlier agreement is
 * cleared. Returns false on a stale version.
 */
export async function allocateConcern(tx: Executor, organisationId: string, concernId: string, expectedVersion: number, values: AllocationValues): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({
      lead_dso_id: values.leadId,
      second_dso_id: values.secondId,
      allocated_at: values.at,
      allocated_by: values.by,
      status: values.status,
      ...(values.resetAgreement ? { second_agreed_at: null, second_agreement_method: null, second_agreement_note: null } : {}),
      version: sql`version + 1`,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await tx
    .insertInto('concern_allocation')
    .values({ organisation_id: organisationId, id: newId(), concern_id: concernId, lead_dso_id: values.leadId, second_dso_id: values.secondId, allocated_by: values.by, allocated_at: values.at, reason: values.reason })
    .execute()
  return true
}

export async function listAllocationHistory(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('concern_allocation as a')
    .innerJoin('app_user as l', (j) => j.onRef('l.organisation_id', '=', 'a.organisation_id').onRef('l.id', '=', 'a.lead_dso_id'))
    .innerJoin('app_user as s', (j) => j.onRef('s.organisation_id', '=', 'a.organisation_id').onRef('s.id', '=', 'a.second_dso_id'))
    .innerJoin('app_user as b', (j) => j.onRef('b.organisation_id', '=', 'a.organisation_id').onRef('b.id', '=', 'a.allocated_by'))
    .select(['a.id', 'a.allocated_at', 'a.reason', 'l.display_name as lead_name', 's.display_name as second_name', 'b.display_name as by_name'])
    .where('a.organisation_id', '=', organisationId)
    .where('a.concern_id', '=', concernId)
    .orderBy('a.allocated_at')
    .orderBy('a.id')
    .execute()
}

export async function confirmSecondAgreement(tx: Executor, organisationId: string, concernId: string, expectedVersion: number, secondId: string, at: Date, note: string | null): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({ second_agreed_at: at, second_agreement_method: 'confirmed_in_kestrel', second_agreement_note: note, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'allocated')
    .where('second_dso_id', '=', secondId)
    .where('second_agreed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export interface DecisionValues {
  leadId: string
  at: Date
  decision: Decision
  riskLevel: RiskLevel
  confirmedTypes: string[]
  rationale: string
  delayReason: string | null
  /** Set when the Lead records the Second DSO's agreement (otherwise the confirmation stands). */
  recordedAgreement: { at: Date; how: string } | null
}

/** Records the decision and stops the clock, only for the Lead, only once, only on the expected version. */
export async function recordDecision(tx: Executor, organisationId: string, concernId: string, expectedVersion: number, v: DecisionValues): Promise<boolean> {
  const result = await tx
    .updateTable('concern')
    .set({
      decision: v.decision,
      risk_level: v.riskLevel,
      confirmed_types: v.confirmedTypes,
      decision_rationale: v.rationale,
      delay_reason: v.delayReason,
      decided_by: v.leadId,
      addressed_at: v.at,
      status: 'open',
      ...(v.recordedAgreement ? { second_agreed_at: v.recordedAgreement.at, second_agreement_method: 'recorded_by_lead' as const, second_agreement_note: v.recordedAgreement.how } : {}),
      version: sql`version + 1`,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', concernId)
    .where('version', '=', expectedVersion)
    .where('status', '=', 'allocated')
    .where('lead_dso_id', '=', v.leadId)
    .where('addressed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
