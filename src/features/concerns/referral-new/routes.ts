import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { isoToParts } from '../../../domain/dates.js'
import { CONSENT_OPTIONS, CONSENT_OVERRIDE_REASONS, REFERRAL_METHODS } from '../../../domain/onward-referral-rules.js'
import { londonTime } from '../../../domain/time-of-day.js'
import { mayManageReferrals } from '../../../domain/triage-access.js'
import { addCalendarDays, londonDate } from '../../../domain/working-days.js'
import { isUuid, newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listAgencies } from '../../../repositories/agency-repository.js'
import type { ConcernDetail } from '../../../repositories/concern-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { addOnwardReferral } from '../../../services/onward-referrals.js'
import { caseLocals, handleOutcome, loadCase, renderNotAllowed } from '../triage-page.js'
import { parseReferralForm } from './schema.js'

/** The Lead DSO records an onward referral to an agency. */
export function newReferralRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, concern: ConcernDetail, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const agencies = await listAgencies(deps.database.db, ctx.user.organisationId, { activeOnly: true })
    res.status(status).render('concerns/referral-new/view.njk', {
      ...caseLocals(concern, ctx, 'referrals'),
      agencyItems: [{ value: '', text: 'Choose an agency' }, ...agencies.map((a) => ({ value: a.name, text: a.name, selected: values.agency === a.name }))],
      methodItems: REFERRAL_METHODS.map((m) => ({ ...m, checked: values.method === m.value })),
      consentItems: CONSENT_OPTIONS.map((c) => ({ ...c, checked: values.consent === c.value })),
      refusedItems: CONSENT_OVERRIDE_REASONS.map((r) => ({ ...r, checked: values.refusedReason === r.value })),
      values,
      errors,
    })
  }

  async function loadPermitted(req: Request, res: Response) {
    const ctx = signedIn(req)
    const concern = await loadCase(deps, ctx, req.params.id)
    const permission = mayManageReferrals(ctx.user, concern)
    if (!permission.allowed) {
      renderNotAllowed(res, req.method === 'GET' ? 200 : 409, concern, ctx, 'You cannot add an onward referral', permission.reason, 'referrals')
      return undefined
    }
    return concern
  }

  return [
    {
      method: 'get',
      path: paths.concernNewReferral(':id'),
      action: 'referral:record',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const concern = await loadPermitted(req, res)
        if (!concern) return
        const now = ctx.now()
        const made = isoToParts(londonDate(now))
        const follow = isoToParts(addCalendarDays(londonDate(now), 7))
        await render(req, res, 200, concern, {
          submissionKey: newId(),
          'made-day': made.day,
          'made-month': made.month,
          'made-year': made.year,
          madeTime: londonTime(now),
          'follow-day': follow.day,
          'follow-month': follow.month,
          'follow-year': follow.year,
        })
      },
    },
    {
      method: 'post',
      path: paths.concernNewReferral(':id'),
      action: 'referral:record',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const concern = await loadPermitted(req, res)
        if (!concern) return
        const values = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<string, string>
        const submissionKey = isUuid(values.submissionKey) ? values.submissionKey : newId()
        values.submissionKey = submissionKey
        const agencies = await listAgencies(deps.database.db, ctx.user.organisationId, { activeOnly: true })
        const parsed = parseReferralForm(req.body, agencies.map((a) => a.name), londonDate(ctx.now()))
        if (!parsed.ok) return render(req, res, 400, concern, values, parsed.errors)
        const outcome = await addOnwardReferral(deps, ctx, concern.id, submissionKey, parsed.request)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: `The referral to ${parsed.request.agencyOther ?? parsed.request.agency} has been recorded.` }
          return res.redirect(303, paths.concernReferrals(concern.id))
        }
        handleOutcome(outcome, res, concern, ctx, 'You cannot add an onward referral', paths.concernReferrals(concern.id))
      },
    },
  ]
}
