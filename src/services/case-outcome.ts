import type { AppDeps, SignedInContext } from '../context.js'
import type { Problem } from '../domain/allocation-rules.js'
import { findVisibleConcern } from '../repositories/concern-repository.js'
import type { Executor } from '../repositories/executor.js'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'

/** What a case-record use case tells its page (the same shape as the triage outcomes). */
export type CaseOutcome<F extends string = string> =
  | { kind: 'done'; id?: string }
  | { kind: 'conflict' }
  | { kind: 'not_found' }
  | { kind: 'refused'; reason: string }
  | { kind: 'invalid'; problems: Problem<F>[] }

/** Thrown inside a transaction to undo what it did so far and answer with an outcome. */
export class Rollback<F extends string = string> extends Error {
  constructor(readonly outcome: CaseOutcome<F>) {
    super(`rollback: ${outcome.kind}`)
  }
}

export async function caseTransaction<F extends string>(deps: AppDeps, work: (tx: Transaction<DB>) => Promise<CaseOutcome<F>>): Promise<CaseOutcome<F>> {
  try {
    return await deps.database.db.transaction().execute(work)
  } catch (error) {
    if (error instanceof Rollback) return error.outcome as CaseOutcome<F>
    throw error
  }
}

/** The case as this person may open it now (named, unrestricted, or by a break-glass opening still in force). */
export function openCase(tx: Executor, ctx: SignedInContext, concernId: string) {
  return findVisibleConcern(tx, ctx.user.organisationId, concernId, ctx.user.id, ctx.now())
}
