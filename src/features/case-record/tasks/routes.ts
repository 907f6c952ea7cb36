import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase, mayCompleteTask } from '../../../domain/case-record-rules.js'
import { londonDate } from '../../../domain/working-days.js'
import { paths } from '../../../paths.js'
import { listTasks } from '../../../repositories/task-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { completeTask } from '../../../services/case-tasks.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, versionFrom } from '../case-page.js'

/** The Tasks tab: who is doing what by when; overdue tasks flagged; done tasks kept. */
export function tasksRoutes(deps: AppDeps): RouteSpec[] {
  async function show(req: Request, res: Response) {
    const ctx = signedIn(req)
    const { concern, data: tasks } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'tasks' } }, (tx, c) => listTasks(tx, ctx.user.organisationId, c.id))
    const today = londonDate(ctx.now())
    const items = tasks.map((t) => ({ ...t, overdue: !t.completed_at && t.due_on < today, dueToday: !t.completed_at && t.due_on === today, canComplete: mayCompleteTask(ctx.user, concern, t).allowed }))
    res.render('case-record/tasks/view.njk', {
      ...caseRecordLocals(concern, ctx, 'tasks'),
      canAdd: mayAddToCase(ctx.user, concern).allowed,
      open: items.filter((t) => !t.completed_at),
      done: items.filter((t) => t.completed_at),
      overdue: items.filter((t) => t.overdue).length,
    })
  }

  return [
    { method: 'get', path: paths.concernTasks(':id'), action: 'concern:view', handler: show },
    {
      method: 'post',
      path: paths.concernTaskComplete(':id', ':taskId'),
      action: 'case:add',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const outcome = await completeTask(deps, ctx, id, param(req, 'taskId'), versionFrom(req.body), null)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The task is marked as done.' }
          return res.redirect(303, paths.concernTasks(id))
        }
        await answerFailure(deps, ctx, res, id, outcome, { tab: 'tasks', heading: 'You cannot mark this task as done', returnTo: paths.concernTasks(id) })
      },
    },
  ]
}
