import { sql, type ExpressionBuilder } from 'kysely'
import type { DB } from '../db/schema.js'
import { CANDIDATE_NAME_THRESHOLD, normalisePostcodeKey } from '../domain/person-matching.js'
import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

/**
 * The person index. A merged record points at the one it was merged into (merges are kept one
 * level deep), so a person's "group" is the record and every record merged into it, and a
 * concern is about the group whichever record it was linked to.
 */

export type PersonRole = 'subject' | 'household' | 'alleged_responsible'

export interface NewPerson {
  organisationId: string
  id: string
  name: string
  otherNames: string | null
  dateOfBirth: string | null
  ageYears: number | null
  address: string | null
  postcode: string | null
  createdAt: Date
}

export async function insertPerson(tx: Executor, p: NewPerson): Promise<void> {
  await tx
    .insertInto('person')
    .values({
      organisation_id: p.organisationId,
      id: p.id,
      name: p.name,
      other_names: p.otherNames,
      date_of_birth: p.dateOfBirth,
      age_years: p.ageYears,
      address: p.address,
      postcode: p.postcode,
      created_at: p.createdAt,
    })
    .execute()
}

/** Links a person to a case in a role; false when that link exists already. */
export async function linkPerson(tx: Executor, link: { organisationId: string; concernId: string; personId: string; role: PersonRole; by: string; at: Date }): Promise<boolean> {
  const row = await tx
    .insertInto('concern_person')
    .values({ organisation_id: link.organisationId, concern_id: link.concernId, person_id: link.personId, role: link.role, linked_by: link.by, linked_at: link.at })
    .onConflict((oc) => oc.columns(['organisation_id', 'concern_id', 'person_id', 'role']).doNothing())
    .returning('person_id')
    .executeTakeFirst()
  return row !== undefined
}

/** A group (a person and the records merged into it) has a concern the viewer may see. */
function groupHasVisibleConcern(eb: ExpressionBuilder<DB & { p: DB['person'] }, 'p'>, viewerId: string) {
  return eb.exists(
    eb
      .selectFrom('concern_person as vcp')
      .innerJoin('person as vp', (j) => j.onRef('vp.organisation_id', '=', 'vcp.organisation_id').onRef('vp.id', '=', 'vcp.person_id'))
      .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'vcp.organisation_id').onRef('c.id', '=', 'vcp.concern_id'))
      .select('vcp.concern_id')
      .whereRef('vcp.organisation_id', '=', 'p.organisation_id')
      .where((w) => w.or([w('vp.id', '=', w.ref('p.id')), w('vp.merged_into_id', '=', w.ref('p.id'))]))
      .where(concernVisibleTo(viewerId)),
  )
}

/**
 * The people on a case, each with the group's other concerns the viewer may see (two queries
 * for the whole tab: the people, then the other concerns of all their groups).
 */
export async function listCasePeople(db: Executor, organisationId: string, concernId: string, viewerId: string) {
  const people = await db
    .selectFrom('concern_person as cp')
    .innerJoin('person as linked', (j) => j.onRef('linked.organisation_id', '=', 'cp.organisation_id').onRef('linked.id', '=', 'cp.person_id'))
    .innerJoin('person as p', (j) => j.onRef('p.organisation_id', '=', 'linked.organisation_id').on((eb) => eb('p.id', '=', eb.fn.coalesce('linked.merged_into_id', 'linked.id'))))
    .leftJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'cp.organisation_id').onRef('u.id', '=', 'cp.linked_by'))
    .select(['cp.role', 'cp.linked_at', 'u.display_name as linked_by_name', 'linked.id as linked_id', 'p.id', 'p.name', 'p.other_names', 'p.date_of_birth', 'p.age_years', 'p.address', 'p.postcode'])
    .where('cp.organisation_id', '=', organisationId)
    .where('cp.concern_id', '=', concernId)
    .orderBy(sql`CASE cp.role WHEN 'subject' THEN 0 WHEN 'alleged_responsible' THEN 1 ELSE 2 END`)
    .orderBy('p.name')
    .execute()
  const groupIds = [...new Set(people.map((p) => p.id))]
  const others = groupIds.length ? await concernsOfGroups(db, organisationId, groupIds, viewerId, concernId) : []
  return people.map((p) => ({ ...p, otherConcerns: others.filter((o) => o.group_id === p.id) }))
}

/** Concerns linked to any of these groups (optionally except one), that the viewer may see, newest first. */
export async function concernsOfGroups(db: Executor, organisationId: string, groupIds: readonly string[], viewerId: string, exceptConcernId?: string) {
  let q = db
    .selectFrom('concern_person as cp')
    .innerJoin('person as lp', (j) => j.onRef('lp.organisation_id', '=', 'cp.organisation_id').onRef('lp.id', '=', 'cp.person_id'))
    .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'cp.organisation_id').onRef('c.id', '=', 'cp.concern_id'))
    .select((eb) => [eb.fn.coalesce('lp.merged_into_id', 'lp.id').as('group_id'), 'c.id', 'c.reference', 'c.received_at', 'c.status', 'cp.role'])
    .where('cp.organisation_id', '=', organisationId)
    .where((eb) => eb(eb.fn.coalesce('lp.merged_into_id', 'lp.id'), 'in', groupIds))
    .where(concernVisibleTo(viewerId))
  if (exceptConcernId) q = q.where('c.id', '!=', exceptConcernId)
  const rows = await q.orderBy('c.received_at', 'desc').orderBy('c.id').execute()
  // One line per concern and group, even if the person is on it in two roles.
  const seen = new Set<string>()
  return rows.filter((r) => {
    const key = `${r.group_id}|${r.id}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * People who might be this person: a similar name (pg_trgm similarity on the name or other
 * names), or the same date of birth or postcode. Only records not merged away, and only people
 * on at least one case the viewer may see. One query; the domain decides which to offer.
 */
export async function findPersonCandidates(db: Executor, organisationId: string, viewerId: string, query: { name: string; dateOfBirth: string | null; postcode: string | null }, limit = 50) {
  const name = query.name.toLowerCase()
  const postcodeKey = normalisePostcodeKey(query.postcode)
  return db
    .selectFrom('person as p')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.other_names',
      'p.date_of_birth',
      'p.age_years',
      'p.address',
      'p.postcode',
      'p.version',
      sql<number>`GREATEST(similarity(lower(p.name), ${name}), similarity(lower(coalesce(p.other_names, '')), ${name}))`.as('similarity'),
      eb
        .selectFrom('concern_person as cp')
        .innerJoin('person as lp', (j) => j.onRef('lp.organisation_id', '=', 'cp.organisation_id').onRef('lp.id', '=', 'cp.person_id'))
        .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'cp.organisation_id').onRef('c.id', '=', 'cp.concern_id'))
        .select(sql<number>`count(DISTINCT cp.concern_id)`.as('n'))
        .whereRef('cp.organisation_id', '=', 'p.organisation_id')
        .where((w) => w.or([w('lp.id', '=', w.ref('p.id')), w('lp.merged_into_id', '=', w.ref('p.id'))]))
        .where(concernVisibleTo(viewerId))
        .as('concern_count'),
    ])
    .where('p.organisation_id', '=', organisationId)
    .where('p.merged_into_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb(sql`similarity(lower(p.name), ${name})`, '>=', CANDIDATE_NAME_THRESHOLD),
        eb(sql`similarity(lower(coalesce(p.other_names, '')), ${name})`, '>=', CANDIDATE_NAME_THRESHOLD),
        ...(query.dateOfBirth ? [eb('p.date_of_birth', '=', query.dateOfBirth)] : []),
        ...(postcodeKey ? [eb(sql`replace(upper(p.postcode), ' ', '')`, '=', postcodeKey)] : []),
      ]),
    )
    .where((eb) => groupHasVisibleConcern(eb, viewerId))
    .orderBy('similarity', 'desc')
    .orderBy('p.id')
    .limit(limit)
    .execute()
}

/** A person record the viewer may see (on at least one case they may see, through its group). */
export async function findPerson(db: Executor, organisationId: string, id: string, viewerId: string) {
  return db
    .selectFrom('person as p')
    .leftJoin('person as s', (j) => j.onRef('s.organisation_id', '=', 'p.organisation_id').onRef('s.id', '=', 'p.merged_into_id'))
    .select(['p.id', 'p.name', 'p.other_names', 'p.date_of_birth', 'p.age_years', 'p.address', 'p.postcode', 'p.merged_into_id', 'p.created_at', 'p.version', 's.name as merged_into_name'])
    .where('p.organisation_id', '=', organisationId)
    .where('p.id', '=', id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('concern_person as vcp')
          .innerJoin('person as vp', (j) => j.onRef('vp.organisation_id', '=', 'vcp.organisation_id').onRef('vp.id', '=', 'vcp.person_id'))
          .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'vcp.organisation_id').onRef('c.id', '=', 'vcp.concern_id'))
          .select('vcp.concern_id')
          .whereRef('vcp.organisation_id', '=', 'p.organisation_id')
          // The record's own group: itself, what it was merged into, and what was merged into it.
          .where((w) => w.or([w('vp.id', '=', w.ref('p.id')), w('vp.merged_into_id', '=', w.ref('p.id')), w('vp.id', '=', w.ref('p.merged_into_id'))]))
          .where(concernVisibleTo(viewerId)),
      ),
    )
    .executeTakeFirst()
}

/** The records merged into a person (their group, besides itself). */
export async function listMergedRecords(db: Executor, organisationId: string, personId: string) {
  return db
    .selectFrom('person')
    .select(['id', 'name', 'other_names', 'date_of_birth', 'age_years', 'postcode'])
    .where('organisation_id', '=', organisationId)
    .where('merged_into_id', '=', personId)
    .orderBy('name')
    .execute()
}

/**
 * Merges `mergedId` into `survivorId`: the merged record (and anything already merged into it)
 * now points at the survivor. Both must be unmerged and unchanged since the versions given.
 */
export async function mergePeople(tx: Executor, organisationId: string, v: { id: string; survivorId: string; survivorVersion: number; mergedId: string; mergedVersion: number; reason: string; by: string; at: Date }): Promise<boolean> {
  const bump = async (id: string, version: number, set: { merged_into_id?: string }) => {
    const r = await tx
      .updateTable('person')
      .set({ ...set, version: sql`version + 1` })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('merged_into_id', 'is', null)
      .executeTakeFirst()
    return Number(r.numUpdatedRows) === 1
  }
  if (!(await bump(v.survivorId, v.survivorVersion, {}))) return false
  const moved = await tx
    .updateTable('person')
    .set({ merged_into_id: v.survivorId, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('merged_into_id', '=', v.mergedId)
    .returning('id')
    .execute()
  if (!(await bump(v.mergedId, v.mergedVersion, { merged_into_id: v.survivorId }))) return false
  await tx
    .insertInto('person_merge')
    .values({ organisation_id: organisationId, id: v.id, survivor_id: v.survivorId, merged_id: v.mergedId, moved_ids: moved.map((m) => m.id), reason: v.reason, merged_by: v.by, merged_at: v.at })
    .execute()
  return true
}

export async function findMerge(db: Executor, organisationId: string, id: string) {
  return db.selectFrom('person_merge').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()
}

/** Undoes a merge exactly: the merged record and those moved with it point where they did before. */
export async function undoMerge(tx: Executor, organisationId: string, merge: { id: string; survivor_id: string; merged_id: string; moved_ids: string[] }, by: string, at: Date, reason: string): Promise<boolean> {
  const done = await tx
    .updateTable('person_merge')
    .set({ undone_at: at, undone_by: by, undo_reason: reason })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', merge.id)
    .where('undone_at', 'is', null)
    .executeTakeFirst()
  if (Number(done.numUpdatedRows) !== 1) return false
  const restored = await tx
    .updateTable('person')
    .set({ merged_into_id: null, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', merge.merged_id)
    .where('merged_into_id', '=', merge.survivor_id)
    .executeTakeFirst()
  if (Number(restored.numUpdatedRows) !== 1) return false
  if (merge.moved_ids.length) {
    await tx
      .updateTable('person')
      .set({ merged_into_id: merge.merged_id, version: sql`version + 1` })
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', merge.moved_ids)
      .where('merged_into_id', '=', merge.survivor_id)
      .execute()
  }
  await tx.updateTable('person').set({ version: sql`version + 1` }).where('organisation_id', '=', organisationId).where('id', '=', merge.survivor_id).execute()
  return true
}

/** Merges involving a person, newest first, with names. */
export async function listMergeHistory(db: Executor, organisationId: string, personId: string) {
  return db
    .selectFrom('person_merge as m')
    .innerJoin('person as s', (j) => j.onRef('s.organisation_id', '=', 'm.organisation_id').onRef('s.id', '=', 'm.survivor_id'))
    .innerJoin('person as x', (j) => j.onRef('x.organisation_id', '=', 'm.organisation_id').onRef('x.id', '=', 'm.merged_id'))
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'm.organisation_id').onRef('u.id', '=', 'm.merged_by'))
    .leftJoin('app_user as uu', (j) => j.onRef('uu.organisation_id', '=', 'm.organisation_id').onRef('uu.id', '=', 'm.undone_by'))
    .select(['m.id', 'm.survivor_id', 'm.merged_id', 'm.reason', 'm.merged_at', 'm.undone_at', 'm.undo_reason', 's.name as survivor_name', 'x.name as merged_name', 'u.display_name as merged_by_name', 'uu.display_name as undone_by_name', 's.merged_into_id as survivor_merged_into_id'])
    .where('m.organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('m.survivor_id', '=', personId), eb('m.merged_id', '=', personId)]))
    .orderBy('m.merged_at', 'desc')
    .execute()
}

/**
 * A person already on this case in this role with the same name, date of birth and postcode:
 * adding them again is a repeated submit, not a second person.
 */
export async function findSamePersonOnCase(db: Executor, organisationId: string, concernId: string, role: PersonRole, p: { name: string; dateOfBirth: string | null; postcode: string | null }) {
  return db
    .selectFrom('concern_person as cp')
    .innerJoin('person as p', (j) => j.onRef('p.organisation_id', '=', 'cp.organisation_id').onRef('p.id', '=', 'cp.person_id'))
    .select('p.id')
    .where('cp.organisation_id', '=', organisationId)
    .where('cp.concern_id', '=', concernId)
    .where('cp.role', '=', role)
    .where(sql`lower(p.name)`, '=', p.name.toLowerCase())
    .where(sql<boolean>`(p.date_of_birth IS NOT DISTINCT FROM ${p.dateOfBirth}::date)`)
    .where(sql<boolean>`(p.postcode IS NOT DISTINCT FROM ${p.postcode}::text)`)
    .executeTakeFirst()
}
