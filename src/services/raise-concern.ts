import { DateTime } from 'luxon'
import type { AppDeps, SignedInContext } from '../context.js'
import { formatReference } from '../domain/concern-status.js'
import { LONDON } from '../domain/working-days.js'
import { newId } from '../ids.js'
import { insertConcern, nextReferenceNumber } from '../repositories/concern-repository.js'
import { findOrganisation } from '../repositories/organisation-repository.js'
import { audit } from './audit.js'
import { chronicle } from './chronology.js'
import { deadlineFor } from './concern-clock.js'

export interface ConcernAnswers {
  atRisk: 'adult' | 'child' | 'unborn' | 'household'
  personName: string
  personKnownAs: string | null
  personDateOfBirth: string | null
  personAgeYears: number | null
  personAddress: string | null
  personPostcode: string | null
  householdMembers: string | null
  whatHappened: string
  concernTypes: string[]
  location: string
  happenedOn: string | null
  immediateDanger: boolean
  personAware: string
  serviceId: string
}

/**
 * Records a concern exactly as the referrer gave it, with its reference and deadline, in one
 * transaction with its audit row. The submission key makes a double submit return the first
 * concern instead of creating a second.
 */
export async function raiseConcern(deps: AppDeps, ctx: SignedInContext, answers: ConcernAnswers, submissionKey: string) {
  const organisationId = ctx.user.organisationId
  const receivedAt = ctx.now()
  return deps.database.db.transaction().execute(async (tx) => {
    const org = await findOrganisation(tx, organisationId)
    if (!org) throw new Error('Unknown organisation')
    const year = DateTime.fromJSDate(receivedAt, { zone: LONDON }).year
    const dueAt = await deadlineFor(tx, organisationId, receivedAt)
    // A duplicate submit must not burn a reference number: look for the key first.
    const existing = await tx
      .selectFrom('concern')
      .select(['id', 'reference'])
      .where('organisation_id', '=', organisationId)
      .where('submission_key', '=', submissionKey)
      .executeTakeFirst()
    if (existing) return { id: existing.id, reference: existing.reference, created: false }

    const reference = formatReference(org.reference_prefix, year, await nextReferenceNumber(tx, organisationId, year))
    const { id, created } = await insertConcern(tx, {
      organisation_id: organisationId,
      id: newId(),
      reference,
      submission_key: submissionKey,
      referrer_user_id: ctx.user.id,
      referrer_service_id: answers.serviceId,
      received_at: receivedAt,
      due_at: dueAt,
      at_risk: answers.atRisk,
      person_name: answers.personName,
      person_known_as: answers.personKnownAs,
      person_date_of_birth: answers.personDateOfBirth,
      person_age_years: answers.personAgeYears,
      person_address: answers.personAddress,
      person_postcode: answers.personPostcode,
      household_members: answers.householdMembers,
      what_happened: answers.whatHappened,
      concern_types: answers.concernTypes,
      location: answers.location,
      happened_on: answers.happenedOn,
      immediate_danger: answers.immediateDanger,
      person_aware: answers.personAware,
    })
    if (!created) {
      // Lost a race with an identical submit: roll back our reference number, report theirs.
      throw new DuplicateSubmission(id)
    }
    await chronicle(tx, ctx, id, 'Concern received', `Concern ${reference} raised by ${ctx.user.displayName}`, { significant: true, occurredAt: receivedAt })
    await audit(tx, ctx, {
      action: 'concern.create',
      recordType: 'concern',
      recordId: id,
      details: { reference, types: answers.concernTypes.length, immediate_danger: answers.immediateDanger },
    })
    return { id, reference, created: true }
  }).catch(async (error: unknown) => {
    if (error instanceof DuplicateSubmission) {
      const row = await deps.database.db.selectFrom('concern').select(['id', 'reference']).where('organisation_id', '=', organisationId).where('id', '=', error.concernId).executeTakeFirstOrThrow()
      return { id: row.id, reference: row.reference, created: false }
    }
    throw error
  })
}

class DuplicateSubmission extends Error {
  constructor(readonly concernId: string) {
    super('duplicate submission')
  }
}
