import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { exactText, fieldValue, formErrors } from '../../../forms.js'
import { BadRequest } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { activeLegalHold } from '../../../repositories/retention-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { placeLegalHold, removeLegalHold } from '../../../services/disposal.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param } from '../case-page.js'

const placeReason = exactText({ label: 'The reason', max: 2000, required: 'Enter why the case must be kept' })
const liftReason = exactText({ label: 'The reason', max: 2000, required: 'Enter why the legal hold can be lifted' })

const PLACE_HEADING = 'You cannot place a legal hold on this case'
const LIFT_HEADING = 'You cannot lift the legal hold on this case'

/**
 * A safeguarding manager or Senior Lead Officer keeps a case whatever its retention period says
 * (a legal hold: litigation, a complaint, an inquiry), giving a reason, and lifts it again giving
 * another. The case's Reviews and closure tab shows the hold.
 */
export function legalHoldRoutes(deps: AppDeps): RouteSpec[] {
  async function renderPlace(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const org = ctx.user.organisationId
    const { concern, data: hold } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'reviews', form: 'legal-hold' } }, (tx, c) => activeLegalHold(tx, org, c.id))
    const refusal = concern.disposed_at ? 'This record has already been disposed of.' : hold ? 'This case is already under a legal hold.' : undefined
    if (refusal) return res.status(req.method === 'GET' ? 200 : 409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, 'reviews'), heading: PLACE_HEADING, reason: refusal, returnTo: paths.concernReviews(concern.id) })
    res.status(status).render('case-record/legal-hold/view.njk', { ...caseRecordLocals(concern, ctx, 'reviews'), values, errors })
  }

  async function renderLift(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const org = ctx.user.organisationId
    const { concern, data: hold } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'reviews', form: 'legal-hold-lift' } }, (tx, c) => activeLegalHold(tx, org, c.id))
    if (!hold) return res.status(req.method === 'GET' ? 200 : 409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, 'reviews'), heading: LIFT_HEADING, reason: 'This case is not under a legal hold.', returnTo: paths.concernReviews(concern.id) })
    res.status(status).render('case-record/legal-hold/lift.njk', { ...caseRecordLocals(concern, ctx, 'reviews'), hold, values: { holdId: hold.id, ...values }, errors })
  }

  return [
    { method: 'get', path: paths.concernLegalHold(':id'), action: 'case:legal-hold', handler: (req, res) => renderPlace(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernLegalHold(':id'),
      action: 'case:legal-hold',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const values = { reason: fieldValue(req.body, 'reason') }
        const reason = placeReason.safeParse((req.body as Record<string, unknown>)?.reason)
        if (!reason.success) return renderPlace(req, res, 400, values, formErrors(reason.error.issues.map((i) => ({ ...i, path: ['reason'] }))))
        const outcome = await placeLegalHold(deps, ctx, id, reason.data!)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The legal hold is in place. The case will be kept until the hold is lifted.' }
          return res.redirect(303, paths.concernReviews(id))
        }
        await answerFailure(deps, ctx, res, id, outcome, { tab: 'reviews', heading: PLACE_HEADING, returnTo: paths.concernReviews(id) })
      },
    },
    { method: 'get', path: paths.concernLegalHoldLift(':id'), action: 'case:legal-hold', handler: (req, res) => renderLift(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernLegalHoldLift(':id'),
      action: 'case:legal-hold',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const holdId = fieldValue(req.body, 'holdId')
        // The form always carries the hold it was opened for: anything else was not sent by it.
        // (A case they may not see is "page not found" first, as on every case route.)
        if (!isUuid(holdId)) {
          await loadCaseRecord(deps, ctx, id, { action: 'concern.view', details: { tab: 'reviews', form: 'legal-hold-lift', refused: 'no hold named' } })
          throw new BadRequest('The form did not say which legal hold to lift')
        }
        const values = { reason: fieldValue(req.body, 'reason'), holdId }
        const reason = liftReason.safeParse((req.body as Record<string, unknown>)?.reason)
        if (!reason.success) return renderLift(req, res, 400, values, formErrors(reason.error.issues.map((i) => ({ ...i, path: ['reason'] }))))
        const outcome = await removeLegalHold(deps, ctx, id, holdId, reason.data!)
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The legal hold has been lifted. The case now follows the retention rules again.' }
          return res.redirect(303, paths.concernReviews(id))
        }
        await answerFailure(deps, ctx, res, id, outcome, { tab: 'reviews', heading: LIFT_HEADING, returnTo: paths.concernReviews(id) })
      },
    },
  ]
}
