import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayApproveDisposal, retainedCaseOf, retentionDue } from '../../../domain/retention.js'
import { fieldValue, type FormErrors } from '../../../forms.js'
import { ConcurrencyConflict, NotFound, RecordDisposed } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { openProposal, retainedCase, retentionSettings } from '../../../repositories/retention-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { approveDisposal } from '../../../services/disposal.js'
import { param, versionFrom } from '../../case-record/case-page.js'

const CONFIRM_ERROR: FormErrors = {
  summary: [{ text: 'Confirm that this record may be disposed of', href: '#confirm' }],
  fields: { confirm: { text: 'Confirm that this record may be disposed of' } },
}

/**
 * The second person's page: what will be disposed of, under which rule, who proposed it, and a
 * confirmation. Approving removes the case's content at once; it cannot be undone.
 */
export function disposalApproveRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, errors?: FormErrors, refusal?: string) {
    const ctx = signedIn(req)
    const id = param(req, 'id')
    const page = await deps.database.db.transaction().execute(async (tx) => {
      const found = await retainedCase(tx, ctx.user.organisationId, ctx.user.id, id)
      if (!found) return undefined
      if (found.disposed_at) return { disposed: { reference: found.reference, at: found.disposed_at } }
      const proposal = await openProposal(tx, ctx.user.organisationId, id)
      const settings = await retentionSettings(tx, ctx.user.organisationId)
      await audit(tx, ctx, { action: 'disposal.view', recordType: 'concern', recordId: id, details: proposal ? { disposal_id: proposal.id } : {} })
      return { found, proposal, settings }
    })
    if (!page) throw new NotFound()
    if ('disposed' in page && page.disposed) throw new RecordDisposed(page.disposed.reference, page.disposed.at)
    const { found, proposal, settings } = page
    const due = retentionDue(retainedCaseOf(found), settings.rules)
    const permission = proposal ? mayApproveDisposal(ctx.user, proposal) : { allowed: false as const, reason: 'Nobody has proposed disposing of this case. A manager or Senior Lead Officer proposes it from the list of records due for disposal.' }
    res.status(status).render('records/disposal-approve/view.njk', {
      activeNav: 'records',
      record: found,
      proposal,
      due,
      onHold: found.on_legal_hold,
      paused: settings.paused,
      refusal: refusal ?? (permission.allowed ? undefined : permission.reason),
      errors,
    })
  }

  return [
    { method: 'get', path: paths.recordsDisposalCase(':id'), action: 'records:approve-disposal', handler: (req, res) => render(req, res, 200) },
    {
      method: 'post',
      path: paths.recordsDisposalCase(':id'),
      action: 'records:approve-disposal',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        if (fieldValue(req.body, 'confirm') !== 'yes') return render(req, res, 400, CONFIRM_ERROR)
        const outcome = await approveDisposal(deps, ctx, id, versionFrom(req.body))
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The record has been disposed of. Its reference and the approval are in the register of disposals.' }
          return res.redirect(303, paths.recordsDisposal())
        }
        if (outcome.kind === 'not_found') throw new NotFound()
        if (outcome.kind === 'conflict') throw new ConcurrencyConflict(paths.recordsDisposal(), 'record')
        return render(req, res, 409, undefined, outcome.kind === 'refused' ? outcome.reason : 'This record cannot be disposed of.')
      },
    },
  ]
}
