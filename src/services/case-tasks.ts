import type { AppDeps, SignedInContext } from '../context.js'
import { mayAddToCase, mayCompleteTask } from '../domain/case-record-rules.js'
import { newId } from '../ids.js'
import { paths } from '../paths.js'
import { completeTask as completeTaskRow, findTask, insertTask, listAssignableUsers } from '../repositories/task-repository.js'
import { findUser } from '../repositories/user-repository.js'
import type { Executor } from '../repositories/executor.js'
import { formatDate } from '../views.js'
import { audit } from './audit.js'
import { taskAssignedMessage } from './case-messages.js'
import { caseTransaction, openCase, type CaseOutcome } from './case-outcome.js'
import { notifyPerson } from './notifications.js'

export interface TaskInput {
  title: string
  details: string | null
  assigneeId: string
  dueOn: string
}

/** Creates a task in the caller's transaction and tells the assignee (unless they set it themselves). */
export async function createTask(tx: Executor, deps: AppDeps, ctx: SignedInContext, concern: { id: string; reference: string }, input: TaskInput & { submissionKey: string; reviewItemId?: string | null }): Promise<string | undefined> {
  const organisationId = ctx.user.organisationId
  const id = newId()
  const created = await insertTask(tx, { organisationId, id, concernId: concern.id, title: input.title, details: input.details, assigneeId: input.assigneeId, dueOn: input.dueOn, createdBy: ctx.user.id, createdAt: ctx.now(), reviewItemId: input.reviewItemId ?? null, submissionKey: input.submissionKey })
  if (!created) return undefined
  await audit(tx, ctx, { action: 'task.create', recordType: 'concern', recordId: concern.id, details: { task_id: id, assignee_id: input.assigneeId, due_on: input.dueOn, ...(input.reviewItemId ? { review_item_id: input.reviewItemId } : {}) } })
  if (input.assigneeId !== ctx.user.id) {
    const assignee = await findUser(tx, organisationId, input.assigneeId)
    if (assignee?.active) {
      await notifyPerson(tx, organisationId, { id: assignee.id, email: assignee.email }, taskAssignedMessage(concern.reference, formatDate(input.dueOn), `${deps.config.publicUrl}${paths.concernTasks(concern.id)}`), { concernId: concern.id, href: paths.concernTasks(concern.id), now: ctx.now() })
    }
  }
  return id
}

export async function addTask(deps: AppDeps, ctx: SignedInContext, concernId: string, input: TaskInput & { submissionKey: string }): Promise<CaseOutcome<'assigneeId'>> {
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    const assignable = await listAssignableUsers(tx, ctx.user.organisationId)
    if (!assignable.some((u) => u.id === input.assigneeId)) return { kind: 'invalid', problems: [{ field: 'assigneeId', message: 'Select who will do the task' }] }
    const id = await createTask(tx, deps, ctx, concern, input)
    return { kind: 'done', ...(id ? { id } : {}) }
  })
}

export async function completeTask(deps: AppDeps, ctx: SignedInContext, concernId: string, taskId: string, expectedVersion: number, note: string | null): Promise<CaseOutcome> {
  const organisationId = ctx.user.organisationId
  return caseTransaction(deps, async (tx) => {
    const concern = await openCase(tx, ctx, concernId)
    if (!concern) return { kind: 'not_found' }
    const task = await findTask(tx, organisationId, concernId, taskId)
    if (!task) return { kind: 'not_found' }
    if (task.version !== expectedVersion) return { kind: 'conflict' }
    const permission = mayCompleteTask(ctx.user, concern, task)
    if (!permission.allowed) return { kind: 'refused', reason: permission.reason }
    if (!(await completeTaskRow(tx, organisationId, taskId, expectedVersion, ctx.user.id, ctx.now(), note))) return { kind: 'conflict' }
    await audit(tx, ctx, { action: 'task.complete', recordType: 'concern', recordId: concernId, details: { task_id: taskId, fields: ['completed_at', 'completed_by', ...(note ? ['completion_note'] : [])] } })
    return { kind: 'done', id: taskId }
  })
}
