import { auditRowHash, GENESIS_HASH } from '../domain/audit-hash.js'
import { auditChain, auditChainHead } from '../repositories/audit-repository.js'
import type { Executor } from '../repositories/executor.js'
import { listOrganisationIds } from '../repositories/organisation-repository.js'

export type ChainReport =
  | { organisationId: string; ok: true; rows: number }
  | { organisationId: string; ok: false; rows: number; firstBrokenSeq: number; problem: string }

/**
 * Walks each organisation's audit chain from the start: every row must follow the one before
 * (seq and prev_hash) and hash to what it says; the last row must match the chain head.
 */
export async function verifyAuditChains(db: Executor): Promise<ChainReport[]> {
  const reports: ChainReport[] = []
  for (const organisationId of await listOrganisationIds(db)) {
    reports.push(await verifyChain(db, organisationId))
  }
  return reports
}

export async function verifyChain(db: Executor, organisationId: string): Promise<ChainReport> {
  let expectedSeq = 1
  let prevHash = GENESIS_HASH
  let rows = 0
  for await (const row of auditChain(db, organisationId)) {
    rows++
    const broken = (problem: string): ChainReport => ({ organisationId, ok: false, rows, firstBrokenSeq: row.seq, problem })
    if (row.seq !== expectedSeq) return { organisationId, ok: false, rows, firstBrokenSeq: expectedSeq, problem: `row ${expectedSeq} is missing` }
    if (row.prev_hash !== prevHash) return broken('does not follow the row before it')
    if (auditRowHash(prevHash, row) !== row.hash) return broken('content does not match its hash (altered)')
    prevHash = row.hash
    expectedSeq++
  }
  const head = await auditChainHead(db, organisationId)
  if (head && (Number(head.last_seq) !== expectedSeq - 1 || head.last_hash !== prevHash)) {
    return { organisationId, ok: false, rows, firstBrokenSeq: expectedSeq, problem: `rows after ${expectedSeq - 1} are missing (the chain head records ${head.last_seq})` }
  }
  return { organisationId, ok: true, rows }
}
