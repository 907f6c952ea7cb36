import type { Response } from 'express'
import type { AppDeps, SignedInContext } from '../../context.js'
import { mayViewConcern } from '../../domain/policy.js'
import { ConcurrencyConflict, NotFound, RecordDisposed } from '../../http-errors.js'
import { isUuid } from '../../ids.js'
import { findVisibleConcern, type ConcernDetail } from '../../repositories/concern-repository.js'
import { audit } from '../../services/audit.js'
import type { TriageOutcome } from '../../services/triage-outcome.js'
import { caseTabs, type CaseTab } from './case-tabs.js'

/** Helpers shared by the triage pages of a case record. */

export function versionFrom(body: unknown): number {
  const v = (body as Record<string, unknown> | undefined)?.version
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : -1
}

/** Loads a concern the team may see, auditing the read in the same transaction; 404 otherwise. */
export async function loadCase(deps: AppDeps, ctx: SignedInContext, id: unknown, action = 'concern.view', details: Record<string, unknown> = {}): Promise<ConcernDetail> {
  if (!isUuid(id)) throw new NotFound()
  const concern = await deps.database.db.transaction().execute(async (tx) => {
    // ctx.now(): a manager's break-glass opening of a restricted case (issue 4) counts while in force.
    const c = await findVisibleConcern(tx, ctx.user.organisationId, id, ctx.user.id, ctx.now())
    if (!c || !mayViewConcern(ctx.user, c)) return undefined
    await audit(tx, ctx, { action, recordType: 'concern', recordId: c.id, details })
    return c
  })
  if (!concern) throw new NotFound()
  if (concern.disposed_at) throw new RecordDisposed(concern.reference, concern.disposed_at)
  return concern
}

export function caseLocals(concern: ConcernDetail, ctx: SignedInContext, tab: CaseTab) {
  return { activeNav: 'queue', concern, tabs: caseTabs(concern.id, tab, ctx.user.roles) }
}

/**
 * A person the policy lets use the page, but not on this concern or not now (not the Lead DSO,
 * already decided…): the case page explains why. 200 for a page, 409 for a refused change.
 */
export function renderNotAllowed(res: Response, status: 200 | 409, concern: ConcernDetail, ctx: SignedInContext, heading: string, reason: string, tab: CaseTab = 'summary') {
  res.status(status).render('concerns/not-allowed.njk', { ...caseLocals(concern, ctx, tab), heading, reason })
}

/** Maps a use case's outcome onto the response, leaving `invalid` to the page. */
export function handleOutcome<F extends string>(outcome: TriageOutcome<F>, res: Response, concern: ConcernDetail, ctx: SignedInContext, heading: string, returnTo: string): outcome is TriageOutcome<F> & { kind: 'invalid' } {
  switch (outcome.kind) {
    case 'not_found':
      throw new NotFound()
    case 'conflict':
      throw new ConcurrencyConflict(returnTo)
    case 'refused':
      renderNotAllowed(res, 409, concern, ctx, heading, outcome.reason)
      return false
    case 'done':
      return false
    case 'invalid':
      return true
  }
}
