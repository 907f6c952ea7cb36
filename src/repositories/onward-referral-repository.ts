import { sql } from 'kysely'
import type { Consent, ReferralMethod, ReferralOutcome } from '../db/schema.js'
import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

export interface NewOnwardReferral {
  organisationId: string
  id: string
  concernId: string
  agency: string
  agencyOther: string | null
  madeAt: Date
  method: ReferralMethod
  contact: string | null
  agencyReference: string | null
  consent: Consent
  consentReason: string | null
  informationShared: string | null
  followUpOn: string | null
  createdBy: string
  createdAt: Date
  submissionKey: string
}

/** Inserts unless the submission key was used already (a double submit); returns whether it did. */
export async function insertOnwardReferral(tx: Executor, r: NewOnwardReferral): Promise<boolean> {
  const inserted = await tx
    .insertInto('onward_referral')
    .values({
      organisation_id: r.organisationId,
      id: r.id,
      concern_id: r.concernId,
      agency: r.agency,
      agency_other: r.agencyOther,
      made_at: r.madeAt,
      method: r.method,
      contact: r.contact,
      agency_reference: r.agencyReference,
      consent: r.consent,
      consent_reason: r.consentReason,
      information_shared: r.informationShared,
      follow_up_on: r.followUpOn,
      created_by: r.createdBy,
      created_at: r.createdAt,
      submission_key: r.submissionKey,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'submission_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function listOnwardReferrals(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('onward_referral as r')
    .leftJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'r.organisation_id').onRef('u.id', '=', 'r.outcome_recorded_by'))
    .selectAll('r')
    .select('u.display_name as outcome_recorded_by_name')
    .where('r.organisation_id', '=', organisationId)
    .where('r.concern_id', '=', concernId)
    .orderBy('r.made_at')
    .orderBy('r.id')
    .execute()
}

export async function findOnwardReferral(db: Executor, organisationId: string, concernId: string, id: string) {
  return db.selectFrom('onward_referral').selectAll().where('organisation_id', '=', organisationId).where('concern_id', '=', concernId).where('id', '=', id).executeTakeFirst()
}

export async function recordReferralOutcome(
  tx: Executor,
  organisationId: string,
  id: string,
  expectedVersion: number,
  values: { outcome: ReferralOutcome; note: string | null; at: Date; by: string },
): Promise<boolean> {
  const result = await tx
    .updateTable('onward_referral')
    .set({ outcome: values.outcome, outcome_note: values.note, outcome_recorded_at: values.at, outcome_recorded_by: values.by, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * Referrals whose follow-up date has passed with no outcome recorded, oldest first: for one Lead
 * DSO, or for the whole team (the manager). Restricted cases stay invisible to people not on them.
 */
export async function listOverdueFollowUps(db: Executor, organisationId: string, viewerId: string, today: string, options: { leadId?: string; limit?: number } = {}) {
  let q = db
    .selectFrom('onward_referral as r')
    .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'r.organisation_id').onRef('c.id', '=', 'r.concern_id'))
    .leftJoin('app_user as l', (j) => j.onRef('l.organisation_id', '=', 'c.organisation_id').onRef('l.id', '=', 'c.lead_dso_id'))
    .select(['r.id', 'r.agency', 'r.agency_other', 'r.follow_up_on', 'r.made_at', 'c.id as concern_id', 'c.reference', 'c.person_name', 'l.display_name as lead_name'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.outcome', 'is', null)
    .where('r.follow_up_on', '<', today)
    .where('c.status', '!=', 'closed')
    .where(concernVisibleTo(viewerId))
  if (options.leadId) q = q.where('c.lead_dso_id', '=', options.leadId)
  return q.orderBy('r.follow_up_on').orderBy('r.id').limit(options.limit ?? 100).execute()
}
