import { londonDate } from '../../domain/working-days.js'
import { listOpenTasksForAssignee } from '../../repositories/task-repository.js'
import { audit } from '../../services/audit.js'
import type { HomePanel } from './panels.js'

/** "Your tasks": tasks on cases assigned to this person, soonest due first, overdue flagged (issue 4). */
export const tasksPanel: HomePanel = {
  template: 'home/tasks-panel.njk',
  async load(deps, ctx) {
    if (!ctx.user.roles.has('dso') && !ctx.user.roles.has('safeguarding_manager')) return undefined
    const today = londonDate(ctx.now())
    return deps.database.db.transaction().execute(async (tx) => {
      const tasks = await listOpenTasksForAssignee(tx, ctx.user.organisationId, ctx.user.id)
      if (tasks.length) await audit(tx, ctx, { action: 'concern.list', details: { list: 'my-tasks', count: tasks.length, record_ids: [...new Set(tasks.map((t) => t.concern_id))] } })
      return { tasks: tasks.map((t) => ({ ...t, overdue: t.due_on < today, dueToday: t.due_on === today })), overdue: tasks.filter((t) => t.due_on < today).length }
    })
  },
}
