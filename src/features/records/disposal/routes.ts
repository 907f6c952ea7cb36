import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { roleMayPerform } from '../../../domain/policy.js'
import { isAdultRecord, ruleDescription } from '../../../domain/retention.js'
import { londonDate } from '../../../domain/working-days.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { dueRecords, retentionCounts, retentionSettings } from '../../../repositories/retention-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import type { CaseOutcome } from '../../../services/case-outcome.js'
import { proposeDisposal, withdrawDisposal } from '../../../services/disposal.js'
import { param, versionFrom } from '../../case-record/case-page.js'

/** Most records a review page lists at once; the rest follow as earlier ones are decided. */
const PAGE_SIZE = 100

/**
 * Records due for disposal: closed cases whose retention period has ended and that are not on a
 * legal hold, with any proposal waiting for a second person. Managers and Senior Lead Officers
 * propose; a Senior Lead Officer who did not propose approves (disposal-approve); auditors look.
 */
export function disposalRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, refusal?: string) {
    const ctx = signedIn(req)
    const today = londonDate(ctx.now())
    const page = await deps.database.db.transaction().execute(async (tx) => {
      const settings = await retentionSettings(tx, ctx.user.organisationId)
      const rows = await dueRecords(tx, ctx.user.organisationId, ctx.user.id, settings.rules, today, PAGE_SIZE)
      const counts = await retentionCounts(tx, ctx.user.organisationId, ctx.user.id, settings.rules, today)
      await audit(tx, ctx, { action: 'disposal.list', details: { count: rows.length, concern_ids: rows.map((r) => r.id) } })
      return { settings, rows, counts }
    })
    res.status(status).render('records/disposal/view.njk', {
      activeNav: 'records',
      refusal,
      paused: page.settings.paused,
      pausedReason: page.settings.pausedReason,
      rules: { adult: ruleDescription('adult', page.settings.rules), child: ruleDescription('child', page.settings.rules) },
      counts: page.counts,
      more: page.counts.due > page.rows.length,
      rows: page.rows.map((r) => ({ ...r, adult: isAdultRecord(r.at_risk as 'adult'), mine: r.proposed_by === ctx.user.id })),
      mayPropose: roleMayPerform(ctx.user.roles, 'records:propose-disposal'),
      mayApprove: roleMayPerform(ctx.user.roles, 'records:approve-disposal'),
    })
  }

  async function answer(req: Request, res: Response, outcome: CaseOutcome, success: string) {
    if (outcome.kind === 'done') {
      req.session.flash = { kind: 'success', text: success }
      return res.redirect(303, paths.recordsDisposal())
    }
    if (outcome.kind === 'not_found') throw new NotFound()
    if (outcome.kind === 'conflict') throw new ConcurrencyConflict(paths.recordsDisposal(), 'record')
    return render(req, res, 409, outcome.kind === 'refused' ? outcome.reason : 'This record cannot be disposed of.')
  }

  return [
    { method: 'get', path: paths.recordsDisposal(), action: 'records:review', handler: (req, res) => render(req, res, 200) },
    {
      method: 'post',
      path: paths.recordsDisposalPropose(':id'),
      action: 'records:propose-disposal',
      handler: async (req, res) => answer(req, res, await proposeDisposal(deps, signedIn(req), param(req, 'id')), 'Disposal proposed. A Senior Lead Officer who did not propose it must now approve it.'),
    },
    {
      method: 'post',
      path: paths.recordsDisposalWithdraw(':id'),
      action: 'records:propose-disposal',
      handler: async (req, res) => answer(req, res, await withdrawDisposal(deps, signedIn(req), param(req, 'id'), versionFrom(req.body)), 'Proposal withdrawn. The record is kept.'),
    },
  ]
}
