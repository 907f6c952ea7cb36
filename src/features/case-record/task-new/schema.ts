import { z } from 'zod'
import { checkDateParts } from '../../../domain/dates.js'
import { exactText, fieldValue, formErrors, formField, lineText, type FormErrors } from '../../../forms.js'

export const taskSchema = z.object({
  title: lineText({ label: 'The task', max: 200, required: 'Enter what needs to be done' }),
  details: exactText({ label: 'More detail', max: 2000 }),
  assigneeId: formField(),
})

/** A due date is today or later: a task cannot be set already late. */
export function checkDueDate(body: unknown, prefix: string, today: string, label = 'The due date') {
  const parts = { day: fieldValue(body, `${prefix}-day`), month: fieldValue(body, `${prefix}-month`), year: fieldValue(body, `${prefix}-year`) }
  const check = checkDateParts(parts, label, today)
  if (check.kind === 'empty') return { kind: 'error' as const, message: `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}`, part: 'day' as const }
  if (check.kind === 'ok' && check.iso < today) return { kind: 'error' as const, message: `${label} must be today or in the future`, part: 'day' as const }
  return check
}

export type TaskForm = { ok: true; title: string; details: string | null; assigneeId: string; dueOn: string } | { ok: false; errors: FormErrors }

export function parseTaskForm(body: unknown, today: string, assignable: ReadonlySet<string>): TaskForm {
  const parsed = taskSchema.safeParse(body ?? {})
  const issues: { path: string[]; message: string }[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: [String(i.path[0])], message: i.message }))
  const assigneeId = fieldValue(body, 'assigneeId')
  if (!assignable.has(assigneeId)) issues.push({ path: ['assigneeId'], message: 'Select who will do the task' })
  const due = checkDueDate(body, 'dueOn', today)
  if (due.kind === 'error') issues.push({ path: ['dueOn'], message: due.message })
  const order = ['title', 'details', 'assigneeId', 'dueOn']
  issues.sort((a, b) => order.indexOf(a.path[0]!) - order.indexOf(b.path[0]!))
  if (issues.length || !parsed.success || due.kind !== 'ok') return { ok: false, errors: formErrors(issues, { dueOn: due.kind === 'error' ? `#dueOn-${due.part}` : '#dueOn-day' }) }
  return { ok: true, title: parsed.data.title!, details: parsed.data.details, assigneeId, dueOn: due.iso }
}
