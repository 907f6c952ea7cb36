import { auditRowHash, GENESIS_HASH, type ChainKey } from '../domain/audit-hash.js'
import { auditChain, auditChainHead } from '../repositories/audit-repository.js'
import type { Executor } from '../repositories/executor.js'
import { listOrganisationIds } from '../repositories/organisation-repository.js'

interface ChainCounts {
  organisationId: string
  rows: number
  /** Rows hashed before the chain was keyed (plain SHA-256): a prefix of the chain, if any. */
  unkeyedRows: number
}

export type ChainReport = (ChainCounts & { ok: true }) | (ChainCounts & { ok: false; firstBrokenSeq: number; problem: string })

/**
 * Walks each organisation's audit chain from the start: every row must follow the one before
 * (seq and prev_hash) and hash to what it says; the last row must match the chain head.
 * `keys` are the audit keys the verifier holds (services/audit-keys.ts), by id.
 */
export async function verifyAuditChains(db: Executor, keys: ReadonlyMap<string, ChainKey>): Promise<ChainReport[]> {
  const reports: ChainReport[] = []
  for (const organisationId of await listOrganisationIds(db)) {
    reports.push(await verifyChain(db, organisationId, keys))
  }
  return reports
}

export async function verifyChain(db: Executor, organisationId: string, keys: ReadonlyMap<string, ChainKey>): Promise<ChainReport> {
  let expectedSeq = 1
  let prevHash = GENESIS_HASH
  let rows = 0
  let unkeyedRows = 0
  let keyed = false
  for await (const row of auditChain(db, organisationId)) {
    rows++
    const broken = (problem: string): ChainReport => ({ organisationId, ok: false, rows, unkeyedRows, firstBrokenSeq: row.seq, problem })
    if (row.seq !== expectedSeq) return { organisationId, ok: false, rows, unkeyedRows, firstBrokenSeq: expectedSeq, problem: `row ${expectedSeq} is missing` }
    if (row.prev_hash !== prevHash) return broken('does not follow the row before it')
    let key: ChainKey | null = null
    if (row.hash_key_id === null) {
      // Once a chain is keyed it stays keyed: an unkeyed row after a keyed one is a rewrite by
      // someone without the key (who could otherwise recompute plain hashes from there on).
      if (keyed) return broken('has no audit key although the rows before it do (rewritten without the key)')
      unkeyedRows++
    } else {
      keyed = true
      key = keys.get(row.hash_key_id) ?? null
      if (!key) return broken(`was sealed with audit key ${row.hash_key_id}, which is not configured here, so it cannot be checked (set that encryption key in KESTREL_ENCRYPTION_KEY_PREVIOUS)`)
    }
    if (auditRowHash(prevHash, row, key) !== row.hash) return broken('content does not match its hash (altered)')
    prevHash = row.hash
    expectedSeq++
  }
  const head = await auditChainHead(db, organisationId)
  if (head && (Number(head.last_seq) !== expectedSeq - 1 || head.last_hash !== prevHash)) {
    return { organisationId, ok: false, rows, unkeyedRows, firstBrokenSeq: expectedSeq, problem: `rows after ${expectedSeq - 1} are missing (the chain head records ${head.last_seq})` }
  }
  return { organisationId, ok: true, rows, unkeyedRows }
}

/** One line for an operator: what `kestrel audit verify` and `kestrel restore` print per organisation. */
export function describeChain(report: ChainReport): string {
  if (!report.ok) return `BROKEN at row ${report.firstBrokenSeq}: ${report.problem}.`
  const rows = `${report.rows} audit row${report.rows === 1 ? '' : 's'}, chain intact`
  if (report.unkeyedRows === 0) return `${rows}.`
  const before = report.unkeyedRows === report.rows ? 'none of them is keyed (no encryption key was set when they were written)' : `the first ${report.unkeyedRows} were written before the chain was keyed`
  return `${rows}; ${before}, so they are checked by plain SHA-256 only.`
}
