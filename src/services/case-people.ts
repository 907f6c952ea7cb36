import type { AppDeps, SignedInContext } from '../context.js'
import { mayAddToCase } from '../domain/case-record-rules.js'
import { matchPerson, rankMatches, type PersonDetails } from '../domain/person-matching.js'
import { londonDate } from '../domain/working-days.js'
import { newId } from '../ids.js'
import { findMerge, findPerson, findPersonCandidates, findSamePersonOnCase, insertPerson, linkPerson, mergePeople as mergeRows, undoMerge as undoMergeRows, type PersonRole } from '../repositories/person-repository.js'
import type { Executor } from '../repositories/executor.js'
import { audit } from './audit.js'
import { caseTransaction, openCase, Rollback, type CaseOutcome } from './case-outcome.js'

export interface PersonInput extends PersonDetails {
  otherNames: string | null
  ageYears: number | null
  address: string | null
}

/** People the index offers for these details, best first (pg_trgm fetches, the domain decides). */
export async function offeredMatches(db: Executor, ctx: SignedInContext, details: PersonDetails) {
  const rows = await findPersonCandidates(db, ctx.user.organisationId, ctx.user.id, { name: details.name, dateOfBirth: details.dateOfBirth, postcode: details.postcode })
  const candidates = rows.map((r) => ({ ...r, otherNames: r.other_names, dateOfBirth: r.date_of_birth, ageYears: r.age_years, concernCount: Number(r.concern_count ?? 0) }))
  return rankMatches(details, candidates, londonDate(ctx.now()))
}

/**
 * Adds someone to a case in a role: a new person-index record, or (when the DSO confirms a
 * match offered) the existing person, so a repeat concern is linked to the same person.
 */
export async function addPersonToCase(deps: AppDeps, ctx: SignedInContext, concernId: string, input: { role: PersonRole; person: PersonInput } | { role: PersonRole; existingPersonId: string }): Promise<CaseOutcome<'personId'>> {
  const organisationId = ctx.user.organisationId
  const now = ctx.now()
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    let personId: string
    if ('existingPersonId' in input) {
      const existing = await findPerson(tx, organisationId, input.existingPersonId, ctx.user.id)
      if (!existing) return { kind: 'invalid', problems: [{ field: 'personId', message: 'Select a person from the list' }] }
      personId = existing.merged_into_id ?? existing.id
    } else {
      const same = await findSamePersonOnCase(tx, organisationId, concernId, input.role, input.person)
      if (same) return { kind: 'done', id: same.id }
      personId = newId()
      await insertPerson(tx, { organisationId, id: personId, name: input.person.name, otherNames: input.person.otherNames, dateOfBirth: input.person.dateOfBirth, ageYears: input.person.ageYears, address: input.person.address, postcode: input.person.postcode, createdAt: now })
    }
    const linked = await linkPerson(tx, { organisationId, concernId, personId, role: input.role, by: ctx.user.id, at: now })
    if (!linked) return { kind: 'done', id: personId }
    await audit(tx, ctx, { action: 'existingPersonId' in input ? 'person.link' : 'person.create', recordType: 'concern', recordId: concernId, details: { person_id: personId, role: input.role } })
    return { kind: 'done', id: personId }
  })
}

/** Whether two records look like the same person (shown on the merge page, never required). */
export function mergeEvidence(a: PersonDetails & { id: string }, b: PersonDetails & { id: string }, today: string) {
  return matchPerson(a, b, today)
}

/**
 * A manager merges two records of the same person: `mergedId` joins `survivorId`'s group. The
 * links to concerns are untouched, so the merge can be undone exactly. Audited with both ids.
 */
export async function mergePersons(deps: AppDeps, ctx: SignedInContext, input: { survivorId: string; survivorVersion: number; mergedId: string; mergedVersion: number; reason: string }): Promise<CaseOutcome<'otherId'>> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    if (!ctx.user.roles.has('safeguarding_manager')) return { kind: 'refused', reason: 'Only a safeguarding manager can merge people.' }
    const survivor = await findPerson(tx, organisationId, input.survivorId, ctx.user.id)
    const merged = await findPerson(tx, organisationId, input.mergedId, ctx.user.id)
    if (!survivor) return { kind: 'not_found' }
    if (!merged || input.survivorId === input.mergedId) return { kind: 'invalid', problems: [{ field: 'otherId', message: 'Select a different person to merge into this one' }] }
    if (survivor.merged_into_id || merged.merged_into_id) return { kind: 'refused', reason: 'One of these records has already been merged into another. Merge with that one instead.' }
    const id = newId()
    if (!(await mergeRows(tx, organisationId, { id, survivorId: survivor.id, survivorVersion: input.survivorVersion, mergedId: merged.id, mergedVersion: input.mergedVersion, reason: input.reason, by: ctx.user.id, at: ctx.now() }))) {
      throw new Rollback({ kind: 'conflict' })
    }
    await audit(tx, ctx, { action: 'person.merge', recordType: 'person', recordId: survivor.id, details: { merge_id: id, survivor_id: survivor.id, merged_id: merged.id } })
    return { kind: 'done', id }
  })
}

/** Undoes a merge, unless the surviving record has since been merged into another (undo that first). */
export async function undoPersonMerge(deps: AppDeps, ctx: SignedInContext, mergeId: string, reason: string): Promise<CaseOutcome> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    if (!ctx.user.roles.has('safeguarding_manager')) return { kind: 'refused', reason: 'Only a safeguarding manager can undo a merge.' }
    const merge = await findMerge(tx, organisationId, mergeId)
    if (!merge || !(await findPerson(tx, organisationId, merge.survivor_id, ctx.user.id))) return { kind: 'not_found' }
    if (merge.undone_at) return { kind: 'refused', reason: 'This merge has already been undone.' }
    const survivor = await tx.selectFrom('person').select('merged_into_id').where('organisation_id', '=', organisationId).where('id', '=', merge.survivor_id).executeTakeFirstOrThrow()
    if (survivor.merged_into_id) return { kind: 'refused', reason: 'The surviving record has since been merged into another. Undo that merge first.' }
    if (!(await undoMergeRows(tx, organisationId, merge, ctx.user.id, ctx.now(), reason))) throw new Rollback({ kind: 'conflict' })
    await audit(tx, ctx, { action: 'person.merge-undo', recordType: 'person', recordId: merge.survivor_id, details: { merge_id: merge.id, survivor_id: merge.survivor_id, merged_id: merge.merged_id, restored_ids: merge.moved_ids } })
    return { kind: 'done', id: merge.survivor_id }
  })
}
