import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase } from '../../../domain/case-record-rules.js'
import { londonDate } from '../../../domain/working-days.js'
import { fieldValue } from '../../../forms.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listAssignableUsers } from '../../../repositories/task-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { addTask } from '../../../services/case-tasks.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, problemsToErrors, submissionKeyFrom } from '../case-page.js'
import { parseTaskForm } from './schema.js'

/** Adding a task: what, who, and by when (today or later). The assignee is told. */
export function taskNewRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const { concern, data: people } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'tasks', form: 'new' } }, (tx) => listAssignableUsers(tx, ctx.user.organisationId))
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return res.status(req.method === 'GET' ? 200 : 409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, 'tasks'), heading: 'You cannot add a task', reason: permission.reason, returnTo: paths.concernTasks(concern.id) })
    const assigneeId = values.assigneeId ?? concern.lead_dso_id ?? ''
    res.status(status).render('case-record/task-new/view.njk', {
      ...caseRecordLocals(concern, ctx, 'tasks'),
      assigneeItems: [{ value: '', text: 'Choose someone' }, ...people.map((p) => ({ value: p.id, text: p.display_name, selected: p.id === assigneeId }))],
      values: { submissionKey: newId(), ...values },
      errors,
    })
  }

  return [
    { method: 'get', path: paths.concernTaskNew(':id'), action: 'case:add', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernTaskNew(':id'),
      action: 'case:add',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const values = Object.fromEntries(['title', 'details', 'assigneeId', 'dueOn-day', 'dueOn-month', 'dueOn-year', 'submissionKey'].map((k) => [k, fieldValue(req.body, k)]))
        const assignable = new Set((await listAssignableUsers(deps.database.db, ctx.user.organisationId)).map((u) => u.id))
        const form = parseTaskForm(req.body, londonDate(ctx.now()), assignable)
        if (!form.ok) return render(req, res, 400, values, form.errors)
        const outcome = await addTask(deps, ctx, id, { title: form.title, details: form.details, assigneeId: form.assigneeId, dueOn: form.dueOn, submissionKey: submissionKeyFrom(req.body, newId) })
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The task has been added.' }
          return res.redirect(303, paths.concernTasks(id))
        }
        const invalid = await answerFailure(deps, ctx, res, id, outcome, { tab: 'tasks', heading: 'You cannot add a task', returnTo: paths.concernTasks(id) })
        if (invalid) return render(req, res, 400, values, problemsToErrors(invalid.problems))
      },
    },
  ]
}
