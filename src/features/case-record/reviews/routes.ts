import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayMarkReadyForClosure, mayReopen } from '../../../domain/case-record-rules.js'
import { mayRequestClosure } from '../../../domain/closure-rules.js'
import { roleMayPerform } from '../../../domain/policy.js'
import { formatDate, retainedCaseOf, retentionDue, ruleDescription } from '../../../domain/retention.js'
import { REVIEW_FLAG_LABELS, REVIEW_KIND_LABELS, REVIEW_OUTCOME_LABELS } from '../../../domain/review-agenda.js'
import { CASE_OUTCOMES, MSP_ACHIEVED, MSP_ASKED, optionText, RISK_OUTCOMES } from '../../../domain/sac-lists.js'
import { paths } from '../../../paths.js'
import { listClosureHistory, listReopenings } from '../../../repositories/closure-repository.js'
import type { ConcernDetail } from '../../../repositories/concern-repository.js'
import { activeLegalHold, retentionSettings, type RetentionSettings } from '../../../repositories/retention-repository.js'
import { listCaseReviews } from '../../../repositories/review-repository.js'
import { userNames } from '../../../repositories/triage-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { closureState, isAdultCase } from '../../../services/closure.js'
import { markReadyForClosure } from '../../../services/closure.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, versionFrom } from '../case-page.js'

/**
 * How long the case is kept: the rule, and for a closed case the first day it may be disposed of
 * (retentionDue, domain/retention.ts), from the London dates it was received and closed.
 */
function retentionOf(concern: ConcernDetail, settings: RetentionSettings) {
  const due = retentionDue(retainedCaseOf(concern), settings.rules)
  return {
    rule: ruleDescription(concern.at_risk, settings.rules),
    dueOn: due.kind === 'due' ? formatDate(due.on) : null,
    unknownReason: due.kind === 'unknown' ? due.reason : null,
    paused: settings.paused,
  }
}

/**
 * The Reviews and closure tab: the case's reviews at every weekly meeting, where it stands on
 * the way to closure (ready, Final Review, request, decision), its closure history and reopenings,
 * and how long it is kept: its retention date and any legal hold.
 */
export function reviewsTabRoutes(deps: AppDeps): RouteSpec[] {
  async function show(req: Request, res: Response) {
    const ctx = signedIn(req)
    const org = ctx.user.organisationId
    const { concern, data } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'reviews' } }, async (tx, c) => ({
      reviews: await listCaseReviews(tx, org, c.id),
      closures: await listClosureHistory(tx, org, c.id),
      reopenings: await listReopenings(tx, org, c.id),
      state: await closureState(tx, org, c),
      names: await userNames(tx, org, [c.closure_requested_by, c.closure_approved_by]),
      retention: await retentionSettings(tx, org),
      legalHold: await activeLegalHold(tx, org, c.id),
    }))
    res.render('case-record/reviews/view.njk', {
      ...caseRecordLocals(concern, ctx, 'reviews'),
      reviews: data.reviews.map((r) => ({ ...r, kindLabel: REVIEW_KIND_LABELS[r.kind], outcomeLabel: r.outcome ? REVIEW_OUTCOME_LABELS[r.outcome] : 'Not recorded', flagLabels: r.flags.map((f) => REVIEW_FLAG_LABELS[f]) })),
      closures: data.closures,
      reopenings: data.reopenings,
      finalReviewAgreed: data.state.finalReviewAgreed,
      canMarkReady: mayMarkReadyForClosure(ctx.user, concern).allowed,
      canRequest: mayRequestClosure(ctx.user, { status: concern.status, leadDsoId: concern.lead_dso_id }).allowed,
      canReopen: mayReopen(ctx.user, concern).allowed,
      retention: retentionOf(concern, data.retention),
      legalHold: data.legalHold,
      canHold: roleMayPerform(ctx.user.roles, 'case:legal-hold') && !concern.disposed_at,
      requestedByName: concern.closure_requested_by ? data.names.get(concern.closure_requested_by) : undefined,
      approvedByName: concern.closure_approved_by ? data.names.get(concern.closure_approved_by) : undefined,
      outcomeRows: isAdultCase(concern) && concern.sac_outcome
        ? [
            { key: { text: 'Outcome of the enquiry' }, value: { text: optionText(CASE_OUTCOMES, concern.sac_outcome) } },
            { key: { text: 'Risk outcome' }, value: { text: optionText(RISK_OUTCOMES, concern.risk_outcome) } },
            { key: { text: 'Asked what outcomes they wanted' }, value: { text: optionText(MSP_ASKED, concern.msp_asked) } },
            { key: { text: 'Outcomes achieved' }, value: { text: concern.msp_asked === 'asked_expressed' ? optionText(MSP_ACHIEVED, concern.msp_achieved) : 'Not applicable' } },
          ]
        : [],
    })
  }

  return [
    { method: 'get', path: paths.concernReviews(':id'), action: 'concern:view', handler: show },
    {
      method: 'post',
      path: paths.concernReadyForClosure(':id'),
      action: 'closure:ready',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const outcome = await markReadyForClosure(deps, ctx, id, versionFrom(req.body))
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The case is marked ready for closure. It will have its Final Review at the next weekly case review.' }
          return res.redirect(303, paths.concernReviews(id))
        }
        await answerFailure(deps, ctx, res, id, outcome, { tab: 'reviews', heading: 'You cannot mark this case ready for closure', returnTo: paths.concernReviews(id) })
      },
    },
  ]
}
