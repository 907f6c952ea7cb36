import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayRestrict } from '../../../domain/case-record-rules.js'
import { ROLE_LABELS } from '../../../domain/roles.js'
import { exactText, fieldValue, formErrors } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { listBreakGlass, listNameableUsers, listNamedPeople } from '../../../repositories/restriction-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { changeRestriction } from '../../../services/restriction.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, problemsToErrors, versionFrom } from '../case-page.js'

const reasonSchema = exactText({ label: 'The reason', max: 2000, required: 'Enter the reason for this change' })

function listOf(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name]
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')
}

/**
 * The Access tab (safeguarding managers): restrict the case to named people — for example when a
 * member of staff is the person at risk or the alleged person responsible — or lift the
 * restriction; and every break-glass opening of the case, with its reason.
 */
export function accessRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: { restricted?: string; userIds?: string[]; reason?: string; version?: string }, errors?: unknown) {
    const ctx = signedIn(req)
    const org = ctx.user.organisationId
    const { concern, data } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'access' } }, async (tx, c) => ({
      named: await listNamedPeople(tx, org, c.id),
      nameable: await listNameableUsers(tx, org),
      breakGlass: await listBreakGlass(tx, org, c.id),
    }))
    const namedIds = values.userIds ?? data.named.map((n) => n.user_id)
    const defaults = namedIds.length ? namedIds : [concern.lead_dso_id, concern.second_dso_id, ctx.user.id].filter((x): x is string => !!x)
    res.status(status).render('case-record/access/view.njk', {
      ...caseRecordLocals(concern, ctx, 'access'),
      canChange: mayRestrict(ctx.user, concern).allowed,
      named: data.named,
      breakGlass: data.breakGlass,
      userItems: data.nameable.map((u) => ({ value: u.id, text: u.display_name, hint: { text: u.roles.map((r) => ROLE_LABELS[r as keyof typeof ROLE_LABELS]).join(', ') }, checked: defaults.includes(u.id) })),
      values: { restricted: concern.restricted ? 'yes' : 'no', version: String(concern.version), ...values },
      errors,
    })
  }

  return [
    { method: 'get', path: paths.concernAccess(':id'), action: 'case:restrict', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernAccess(':id'),
      action: 'case:restrict',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const values = { restricted: fieldValue(req.body, 'restricted'), userIds: listOf(req.body, 'userIds'), reason: fieldValue(req.body, 'reason'), version: fieldValue(req.body, 'version') }
        const issues: { path: string[]; message: string }[] = []
        if (values.restricted !== 'yes' && values.restricted !== 'no') issues.push({ path: ['restricted'], message: 'Select whether the case is restricted' })
        const reason = reasonSchema.safeParse((req.body as Record<string, unknown>)?.reason)
        if (!reason.success) issues.push({ path: ['reason'], message: reason.error.issues[0]!.message })
        if (issues.length || !reason.success) return render(req, res, 400, values, formErrors(issues, { restricted: '#restricted' }))
        const outcome = await changeRestriction(deps, ctx, id, versionFrom(req.body), { restricted: values.restricted === 'yes', userIds: values.userIds, reason: reason.data! })
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: values.restricted === 'yes' ? 'The case is restricted to the people named.' : 'The restriction has been lifted.' }
          return res.redirect(303, paths.concernAccess(id))
        }
        const invalid = await answerFailure(deps, ctx, res, id, outcome, { tab: 'access', heading: 'You cannot change who can open this case', returnTo: paths.concernAccess(id) })
        if (invalid) return render(req, res, 400, values, problemsToErrors(invalid.problems))
      },
    },
  ]
}
