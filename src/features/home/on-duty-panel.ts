import { londonDate } from '../../domain/working-days.js'
import { listDuties } from '../../repositories/rota-repository.js'
import type { HomePanel } from './panels.js'

/** Who is on duty today: for everyone, so staff know who picks up a concern. */
export const onDutyPanel: HomePanel = {
  template: 'home/on-duty.njk',
  async load(deps, ctx) {
    const today = londonDate(ctx.now())
    const duties = await listDuties(deps.database.db, ctx.user.organisationId, today, today)
    return { names: duties.map((d) => d.display_name), you: duties.some((d) => d.user_id === ctx.user.id) }
  },
}
