import type { Executor } from './executor.js'

export interface NewNote {
  organisationId: string
  id: string
  concernId: string
  body: string
  authorId: string
  createdAt: Date
  correctsId: string | null
  submissionKey: string
}

/** Inserts a note unless its submission key was used already (a double submit). */
export async function insertNote(tx: Executor, note: NewNote): Promise<boolean> {
  const row = await tx
    .insertInto('case_note')
    .values({
      organisation_id: note.organisationId,
      id: note.id,
      concern_id: note.concernId,
      body: note.body,
      author_id: note.authorId,
      created_at: note.createdAt,
      corrects_id: note.correctsId,
      submission_key: note.submissionKey,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'submission_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** A case's notes, oldest first, with their authors. One query. */
export async function listNotes(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('case_note as n')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'n.organisation_id').onRef('u.id', '=', 'n.author_id'))
    .select(['n.id', 'n.body', 'n.created_at', 'n.corrects_id', 'n.author_id', 'u.display_name as author_name'])
    .where('n.organisation_id', '=', organisationId)
    .where('n.concern_id', '=', concernId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute()
}

export async function findNote(db: Executor, organisationId: string, concernId: string, id: string) {
  return db
    .selectFrom('case_note as n')
    .innerJoin('app_user as u', (j) => j.onRef('u.organisation_id', '=', 'n.organisation_id').onRef('u.id', '=', 'n.author_id'))
    .select(['n.id', 'n.body', 'n.created_at', 'n.corrects_id', 'u.display_name as author_name'])
    .where('n.organisation_id', '=', organisationId)
    .where('n.concern_id', '=', concernId)
    .where('n.id', '=', id)
    .executeTakeFirst()
}
