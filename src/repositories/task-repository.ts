import { sql } from 'kysely'
import { concernVisibleTo } from './concern-repository.js'
import type { Executor } from './executor.js'

export interface NewTask {
  organisationId: string
  id: string
  concernId: string
  title: string
  details: string | null
  assigneeId: string
  dueOn: string
  createdBy: string
  createdAt: Date
  reviewItemId: string | null
  submissionKey: string
}

export async function insertTask(tx: Executor, task: NewTask): Promise<boolean> {
  const row = await tx
    .insertInto('case_task')
    .values({
      organisation_id: task.organisationId,
      id: task.id,
      concern_id: task.concernId,
      title: task.title,
      details: task.details,
      assignee_id: task.assigneeId,
      due_on: task.dueOn,
      created_by: task.createdBy,
      created_at: task.createdAt,
      review_item_id: task.reviewItemId,
      submission_key: task.submissionKey,
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'submission_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** A case's tasks: open ones first by due date, then done ones, newest first. One query. */
export async function listTasks(db: Executor, organisationId: string, concernId: string) {
  return db
    .selectFrom('case_task as t')
    .innerJoin('app_user as a', (j) => j.onRef('a.organisation_id', '=', 't.organisation_id').onRef('a.id', '=', 't.assignee_id'))
    .innerJoin('app_user as cb', (j) => j.onRef('cb.organisation_id', '=', 't.organisation_id').onRef('cb.id', '=', 't.created_by'))
    .leftJoin('app_user as d', (j) => j.onRef('d.organisation_id', '=', 't.organisation_id').onRef('d.id', '=', 't.completed_by'))
    .select([
      't.id',
      't.title',
      't.details',
      't.assignee_id',
      't.due_on',
      't.created_at',
      't.completed_at',
      't.completion_note',
      't.review_item_id',
      't.version',
      'a.display_name as assignee_name',
      'cb.display_name as created_by_name',
      'd.display_name as completed_by_name',
    ])
    .where('t.organisation_id', '=', organisationId)
    .where('t.concern_id', '=', concernId)
    .orderBy(sql`t.completed_at IS NULL`, 'desc')
    .orderBy('t.due_on')
    .orderBy('t.completed_at', 'desc')
    .orderBy('t.id')
    .execute()
}

export async function findTask(db: Executor, organisationId: string, concernId: string, id: string) {
  return db
    .selectFrom('case_task')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('concern_id', '=', concernId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Marks a task done if nobody changed it since `expectedVersion`. */
export async function completeTask(tx: Executor, organisationId: string, id: string, expectedVersion: number, by: string, at: Date, note: string | null): Promise<boolean> {
  const result = await tx
    .updateTable('case_task')
    .set({ completed_at: at, completed_by: by, completion_note: note, version: sql`version + 1` })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('completed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function countOpenTasks(db: Executor, organisationId: string, concernId: string): Promise<number> {
  const row = await db
    .selectFrom('case_task')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('concern_id', '=', concernId)
    .where('completed_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Someone's open tasks across the cases they may see, soonest due first (the home page). One
 * query; tasks on restricted cases they are not named on stay invisible, like the cases.
 */
export async function listOpenTasksForAssignee(db: Executor, organisationId: string, userId: string, limit = 50) {
  return db
    .selectFrom('case_task as t')
    .innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 't.organisation_id').onRef('c.id', '=', 't.concern_id'))
    .select(['t.id', 't.title', 't.due_on', 't.concern_id', 'c.reference'])
    .where('t.organisation_id', '=', organisationId)
    .where('t.assignee_id', '=', userId)
    .where('t.completed_at', 'is', null)
    .where('c.status', '!=', 'closed')
    .where(concernVisibleTo(userId))
    .orderBy('t.due_on')
    .orderBy('t.id')
    .limit(limit)
    .execute()
}

/** People a task can be given to: active DSOs and safeguarding managers. */
export async function listAssignableUsers(db: Executor, organisationId: string) {
  return db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.display_name'])
    .where('u.organisation_id', '=', organisationId)
    .where('u.active', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role as r')
          .select('r.user_id')
          .whereRef('r.organisation_id', '=', 'u.organisation_id')
          .whereRef('r.user_id', '=', 'u.id')
          .where('r.role', 'in', ['dso', 'safeguarding_manager']),
      ),
    )
    .orderBy('u.display_name')
    .execute()
}
