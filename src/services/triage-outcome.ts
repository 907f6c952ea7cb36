import type { Problem } from '../domain/allocation-rules.js'

/** What a triage use case tells its page: done, a stale form, an invisible record, a refusal, or bad input. */
export type TriageOutcome<F extends string = string> =
  | { kind: 'done' }
  | { kind: 'conflict' }
  | { kind: 'not_found' }
  | { kind: 'refused'; reason: string }
  | { kind: 'invalid'; problems: Problem<F>[] }

