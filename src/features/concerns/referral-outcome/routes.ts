import type { Request, Response } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../../../context.js'
import type { ReferralOutcome } from '../../../db/schema.js'
import { REFERRAL_OUTCOMES } from '../../../domain/onward-referral-rules.js'
import { mayManageReferrals } from '../../../domain/triage-access.js'
import { exactText, fieldValue, formErrors, oneOf } from '../../../forms.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import type { ConcernDetail } from '../../../repositories/concern-repository.js'
import { findOnwardReferral } from '../../../repositories/onward-referral-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { recordOutcome } from '../../../services/onward-referrals.js'
import { caseLocals, handleOutcome, loadCase, renderNotAllowed, versionFrom } from '../triage-page.js'

const schema = z.object({
  outcome: oneOf(
    REFERRAL_OUTCOMES.map((o) => o.value),
    'Select the outcome',
  ),
  outcomeNote: exactText({ label: 'The note', max: 2000 }),
})

/** The Lead DSO records what the agency did with the referral. */
export function referralOutcomeRoutes(deps: AppDeps): RouteSpec[] {
  async function load(req: Request, res: Response) {
    const ctx = signedIn(req)
    const concern = await loadCase(deps, ctx, req.params.id)
    const referralId = req.params.referralId
    const referral = isUuid(referralId) ? await findOnwardReferral(deps.database.db, ctx.user.organisationId, concern.id, referralId) : undefined
    if (!referral) throw new NotFound()
    const permission = mayManageReferrals(ctx.user, concern)
    if (!permission.allowed) {
      renderNotAllowed(res, req.method === 'GET' ? 200 : 409, concern, ctx, 'You cannot record the outcome', permission.reason, 'referrals')
      return undefined
    }
    return { ctx, concern, referral }
  }

  function render(req: Request, res: Response, status: number, concern: ConcernDetail, referral: { id: string; agency: string; agency_other: string | null }, values: Record<string, string>, errors?: unknown) {
    res.status(status).render('concerns/referral-outcome/view.njk', {
      ...caseLocals(concern, signedIn(req), 'referrals'),
      referral,
      agencyName: referral.agency_other ? `${referral.agency}: ${referral.agency_other}` : referral.agency,
      outcomeItems: REFERRAL_OUTCOMES.map((o) => ({ ...o, checked: values.outcome === o.value })),
      values,
      errors,
    })
  }

  return [
    {
      method: 'get',
      path: paths.concernReferralOutcome(':id', ':referralId'),
      action: 'referral:record',
      handler: async (req, res) => {
        const loaded = await load(req, res)
        if (!loaded) return
        render(req, res, 200, loaded.concern, loaded.referral, { outcome: loaded.referral.outcome ?? '', outcomeNote: loaded.referral.outcome_note ?? '', version: String(loaded.referral.version) })
      },
    },
    {
      method: 'post',
      path: paths.concernReferralOutcome(':id', ':referralId'),
      action: 'referral:record',
      handler: async (req, res) => {
        const loaded = await load(req, res)
        if (!loaded) return
        const { ctx, concern, referral } = loaded
        const values = { outcome: fieldValue(req.body, 'outcome'), outcomeNote: fieldValue(req.body, 'outcomeNote'), version: fieldValue(req.body, 'version') }
        const parsed = schema.safeParse(req.body ?? {})
        if (!parsed.success) return render(req, res, 400, concern, referral, values, formErrors(parsed.error.issues, { outcome: '#outcome' }))
        const outcome = await recordOutcome(deps, ctx, concern.id, referral.id, versionFrom(req.body), parsed.data.outcome as ReferralOutcome, parsed.data.outcomeNote)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The outcome has been recorded.' }
          return res.redirect(303, paths.concernReferrals(concern.id))
        }
        handleOutcome(outcome, res, concern, ctx, 'You cannot record the outcome', paths.concernReferralOutcome(concern.id, referral.id))
      },
    },
  ]
}
