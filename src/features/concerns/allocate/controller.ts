import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { isNamedInConcern } from '../../../domain/allocation-rules.js'
import { mayAllocate } from '../../../domain/triage-access.js'
import { londonDate } from '../../../domain/working-days.js'
import { exactText, fieldValue, formErrors } from '../../../forms.js'
import { paths } from '../../../paths.js'
import type { ConcernDetail } from '../../../repositories/concern-repository.js'
import { isOnDuty, listDuties } from '../../../repositories/rota-repository.js'
import { userNames } from '../../../repositories/triage-repository.js'
import { listActiveUsersWithRole } from '../../../repositories/user-repository.js'
import { signedIn } from '../../../routing.js'
import { allocate } from '../../../services/allocation.js'
import { caseLocals, handleOutcome, loadCase, renderNotAllowed, versionFrom } from '../triage-page.js'

const reasonSchema = exactText({ label: 'The reason', max: 1000 })

export function allocateController(deps: AppDeps) {
  const db = deps.database.db

  async function render(req: Request, res: Response, status: number, concern: ConcernDetail, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const today = londonDate(ctx.now())
    const [dsos, duty, current] = await Promise.all([
      listActiveUsersWithRole(db, ctx.user.organisationId, 'dso'),
      listDuties(db, ctx.user.organisationId, today, today),
      userNames(db, ctx.user.organisationId, [concern.lead_dso_id, concern.second_dso_id]),
    ])
    const onDuty = new Set(duty.map((d) => d.user_id))
    // People who may not take this concern are left out of the lists (the rules are re-checked on save).
    const eligible = dsos.filter((d) => d.id !== concern.referrer_user_id && !isNamedInConcern(d.display_name, { personName: concern.person_name, personKnownAs: concern.person_known_as, householdMembers: concern.household_members }))
    const options = (selected: string) => [
      { value: '', text: 'Choose a DSO' },
      ...eligible.map((d) => ({ value: d.id, text: `${d.display_name}${onDuty.has(d.id) ? ' (on duty today)' : ''}`, selected: d.id === selected })),
    ]
    res.status(status).render('concerns/allocate/view.njk', {
      ...caseLocals(concern, ctx, 'summary'),
      reallocation: concern.status !== 'submitted',
      currentLead: concern.lead_dso_id ? current.get(concern.lead_dso_id) : undefined,
      currentSecond: concern.second_dso_id ? current.get(concern.second_dso_id) : undefined,
      leadOptions: options(values.leadId ?? ''),
      secondOptions: options(values.secondId ?? ''),
      values,
      errors,
    })
  }

  async function permitted(req: Request, res: Response, concern: ConcernDetail) {
    const ctx = signedIn(req)
    const permission = mayAllocate(ctx.user, concern, await isOnDuty(db, ctx.user.organisationId, londonDate(ctx.now()), ctx.user.id))
    if (!permission.allowed) renderNotAllowed(res, req.method === 'GET' ? 200 : 409, concern, ctx, 'You cannot allocate this concern', permission.reason)
    return permission.allowed
  }

  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const concern = await loadCase(deps, ctx, req.params.id)
      if (!(await permitted(req, res, concern))) return
      await render(req, res, 200, concern, { leadId: concern.lead_dso_id ?? '', secondId: concern.second_dso_id ?? '', reason: '', version: String(concern.version) })
    },

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const concern = await loadCase(deps, ctx, req.params.id)
      const values = { leadId: fieldValue(req.body, 'leadId'), secondId: fieldValue(req.body, 'secondId'), reason: fieldValue(req.body, 'reason'), version: fieldValue(req.body, 'version') }
      const reason = reasonSchema.safeParse(req.body?.reason)
      if (!reason.success) return render(req, res, 400, concern, values, formErrors(reason.error.issues.map((i) => ({ ...i, path: ['reason'] }))))
      const outcome = await allocate(deps, ctx, concern.id, versionFrom(req.body), { leadId: values.leadId || null, secondId: values.secondId || null, reason: reason.data })
      if (outcome.kind === 'done') {
        req.session.flash = { kind: 'success', text: `Concern ${concern.reference} has been allocated. The Lead and Second DSO have been told.` }
        return res.redirect(303, paths.concern(concern.id))
      }
      if (handleOutcome(outcome, res, concern, ctx, 'You cannot allocate this concern', paths.concernAllocate(concern.id))) {
        return render(req, res, 400, concern, values, formErrors(outcome.problems.map((p) => ({ path: [p.field], message: p.message }))))
      }
    },
  }
}
