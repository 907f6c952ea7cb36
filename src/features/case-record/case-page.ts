import type { Request, Response } from 'express'
import type { Transaction } from 'kysely'
import type { AppDeps, SignedInContext } from '../../context.js'
import type { DB } from '../../db/schema.js'
import { isReadOnly } from '../../domain/case-record-rules.js'
import { mayViewConcern } from '../../domain/policy.js'
import { fieldValue, type FormErrors } from '../../forms.js'
import { ConcurrencyConflict, NotFound, RecordDisposed } from '../../http-errors.js'
import { isUuid } from '../../ids.js'
import type { ConcernDetail } from '../../repositories/concern-repository.js'
import { audit } from '../../services/audit.js'
import { openCase, type CaseOutcome } from '../../services/case-outcome.js'
import { caseTabs, type CaseTab } from '../concerns/case-tabs.js'

/** Helpers shared by the case-record pages (issue 4): loading with break glass, auditing, outcomes. */

/**
 * Loads a case this person may open now — named or unrestricted, or through a manager's
 * break-glass opening still in force — reads what the page needs and audits the view, all in one
 * transaction. Anything else is "page not found".
 */
export async function loadCaseRecord<T = undefined>(
  deps: AppDeps,
  ctx: SignedInContext,
  id: unknown,
  view: { action: string; details?: Record<string, unknown> },
  read?: (tx: Transaction<DB>, concern: ConcernDetail) => Promise<T>,
): Promise<{ concern: ConcernDetail; data: T }> {
  if (!isUuid(id)) throw new NotFound()
  const found = await deps.database.db.transaction().execute(async (tx) => {
    const concern = await openCase(tx, ctx, id)
    if (!concern || !mayViewConcern(ctx.user, concern)) return undefined
    const data = read ? await read(tx, concern) : (undefined as T)
    await audit(tx, ctx, { action: view.action, recordType: 'concern', recordId: concern.id, details: view.details ?? {} })
    return { concern, data }
  })
  if (!found) throw new NotFound()
  if (found.concern.disposed_at) throw new RecordDisposed(found.concern.reference, found.concern.disposed_at)
  return found
}

export function caseRecordLocals(concern: ConcernDetail, ctx: SignedInContext, tab: CaseTab) {
  return { activeNav: 'cases', concern, tabs: caseTabs(concern.id, tab, ctx.user.roles), readOnly: isReadOnly(concern) }
}

export function versionFrom(body: unknown, field = 'version'): number {
  const v = (body as Record<string, unknown> | undefined)?.[field]
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : -1
}

/** A submission key from the form, or a fresh one when the form carried none (it then cannot repeat). */
export function submissionKeyFrom(body: unknown, newKey: () => string): string {
  const key = fieldValue(body, 'submissionKey')
  return isUuid(key) ? key : newKey()
}

/** Problems from a use case as the GOV.UK error summary. */
export function problemsToErrors(problems: readonly { field: string; message: string }[], hrefs: Record<string, string> = {}): FormErrors {
  const fields: FormErrors['fields'] = {}
  const summary: FormErrors['summary'] = []
  for (const p of problems) {
    if (!fields[p.field]) fields[p.field] = { text: p.message }
    summary.push({ text: p.message, href: hrefs[p.field] ?? `#${p.field}` })
  }
  return { summary, fields }
}

/**
 * Answers a use case that did not simply succeed: 404 for an invisible record, the "changed
 * since you opened it" page for a stale form, a page explaining a refusal (409, nothing saved).
 * Returns the problems when the caller must re-show its form (`invalid`).
 */
export async function answerFailure(
  deps: AppDeps,
  ctx: SignedInContext,
  res: Response,
  concernId: string,
  outcome: CaseOutcome,
  page: { tab: CaseTab; heading: string; returnTo: string; what?: 'case' | 'meeting' | 'person' | 'record' },
): Promise<CaseOutcome & { kind: 'invalid' } | undefined> {
  switch (outcome.kind) {
    case 'not_found':
      throw new NotFound()
    case 'conflict':
      throw new ConcurrencyConflict(page.returnTo, page.what ?? 'case')
    case 'refused': {
      const { concern } = await loadCaseRecord(deps, ctx, concernId, { action: 'concern.view', details: { refused: page.tab } })
      res.status(409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, page.tab), heading: page.heading, reason: outcome.reason, returnTo: page.returnTo })
      return undefined
    }
    case 'done':
      return undefined
    case 'invalid':
      return outcome
  }
}

export function param(req: Request, name: string): string {
  const v = req.params[name]
  if (!isUuid(v)) throw new NotFound()
  return v
}
