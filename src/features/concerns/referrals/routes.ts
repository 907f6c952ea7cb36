import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { CONSENT_LABELS, consentReasonLabel, isFollowUpOverdue, METHOD_LABELS, OUTCOME_LABELS } from '../../../domain/onward-referral-rules.js'
import { mayManageReferrals } from '../../../domain/triage-access.js'
import { londonDate } from '../../../domain/working-days.js'
import { paths } from '../../../paths.js'
import { listOnwardReferrals } from '../../../repositories/onward-referral-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { caseLocals, loadCase } from '../triage-page.js'

/** The Referrals tab: every onward referral on the case, its consent position and its outcome. */
export function referralsRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.concernReferrals(':id'),
      action: 'concern:view',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const concern = await loadCase(deps, ctx, req.params.id, 'concern.view', { tab: 'referrals' })
        const referrals = await listOnwardReferrals(deps.database.db, ctx.user.organisationId, concern.id)
        const today = londonDate(ctx.now())
        res.render('concerns/referrals/view.njk', {
          ...caseLocals(concern, ctx, 'referrals'),
          canManage: mayManageReferrals(ctx.user, concern).allowed,
          referrals: referrals.map((r) => ({
            ...r,
            agencyName: r.agency_other ? `${r.agency}: ${r.agency_other}` : r.agency,
            methodLabel: METHOD_LABELS[r.method],
            consentLabel: CONSENT_LABELS[r.consent],
            consentReasonText: consentReasonLabel(r.consent, r.consent_reason),
            outcomeLabel: r.outcome ? OUTCOME_LABELS[r.outcome] : null,
            overdue: isFollowUpOverdue(r, today),
          })),
        })
      },
    },
  ]
}
