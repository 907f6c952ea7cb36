import type { Kysely } from 'kysely'
import type { AtRisk, Decision, DB, RiskLevel } from '../../src/db/schema.js'
import { newId } from '../../src/ids.js'
import type { Factories, TestUser } from './factories.js'

/** A concern as reports see it: raised through the real service, then given its workflow fields. */
export interface ConcernShape {
  receivedAt: string
  atRisk?: AtRisk
  personName?: string
  dateOfBirth?: string | null
  ageYears?: number | null
  postcode?: string | null
  types?: string[]
  location?: string
  serviceId?: string
  /** An instant, or 'deadline' for exactly the deadline, or 'after-deadline' for one millisecond later. */
  addressedAt?: string | 'deadline' | 'after-deadline'
  decision?: Decision
  riskLevel?: RiskLevel
  confirmedTypes?: string[]
  closedAt?: string
  sacOutcome?: string
  riskOutcome?: 'risk_remained' | 'risk_reduced' | 'risk_removed'
  mspAsked?: string
  mspAchieved?: 'fully' | 'partially' | 'not'
  sourceOfRisk?: string
  reopenedCount?: number
  restrictedTo?: TestUser[]
  referrals?: { agency: string; madeAt: string }[]
}

export async function makeConcern(db: Kysely<DB>, factories: Factories, referrer: TestUser, shape: ConcernShape): Promise<string> {
  const previous = factories.clock.now()
  factories.clock.set(shape.receivedAt)
  const { id } = await factories.concern(referrer, {
    atRisk: shape.atRisk ?? 'adult',
    personName: shape.personName ?? `Person ${newId().slice(-6)}`,
    personDateOfBirth: shape.dateOfBirth === undefined ? '1950-05-17' : shape.dateOfBirth,
    personAgeYears: shape.ageYears ?? null,
    personPostcode: shape.postcode ?? null,
    concernTypes: shape.types ?? ['adult:Self-Neglect'],
    location: shape.location ?? 'Own Home',
    serviceId: shape.serviceId ?? referrer.serviceId,
  })
  factories.clock.set(previous)
  const row = await db.selectFrom('concern').select(['due_at', 'organisation_id']).where('id', '=', id).executeTakeFirstOrThrow()
  const addressedAt =
    shape.addressedAt === 'deadline' ? row.due_at : shape.addressedAt === 'after-deadline' ? new Date(row.due_at.getTime() + 1) : shape.addressedAt ? new Date(shape.addressedAt) : null
  await db
    .updateTable('concern')
    .set({
      addressed_at: addressedAt,
      decision: shape.decision ?? null,
      decision_rationale: shape.decision ? 'Rationale recorded for the test' : null,
      risk_level: shape.riskLevel ?? null,
      confirmed_types: shape.confirmedTypes ?? null,
      closed_at: shape.closedAt ? new Date(shape.closedAt) : null,
      status: shape.closedAt ? 'closed' : addressedAt ? 'open' : 'submitted',
      sac_outcome: shape.sacOutcome ?? null,
      risk_outcome: shape.riskOutcome ?? null,
      msp_asked: shape.mspAsked ?? null,
      msp_achieved: shape.mspAchieved ?? null,
      source_of_risk: shape.sourceOfRisk ?? null,
      reopened_count: shape.reopenedCount ?? 0,
      restricted: shape.restrictedTo !== undefined,
    })
    .where('id', '=', id)
    .execute()
  for (const user of shape.restrictedTo ?? []) {
    await db.insertInto('concern_access').values({ organisation_id: row.organisation_id, concern_id: id, user_id: user.id, granted_by: user.id, granted_at: new Date(shape.receivedAt) }).execute()
  }
  for (const r of shape.referrals ?? []) {
    await db
      .insertInto('onward_referral')
      .values({
        organisation_id: row.organisation_id,
        id: newId(),
        concern_id: id,
        agency: r.agency,
        made_at: new Date(r.madeAt),
        method: 'phone',
        consent: 'given',
        created_by: referrer.id,
        created_at: new Date(r.madeAt),
        submission_key: newId(),
      })
      .execute()
  }
  return id
}
