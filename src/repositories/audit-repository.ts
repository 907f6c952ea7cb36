import { auditRowHash, GENESIS_HASH, type ChainKey } from '../domain/audit-hash.js'
import { newId } from '../ids.js'
import type { Executor } from './executor.js'

export type AuditOutcome = 'success' | 'denied' | 'failure'

export interface AuditEntry {
  organisationId: string
  actorUserId: string | null
  action: string
  outcome?: AuditOutcome
  recordType?: string | null
  recordId?: string | null
  requestId?: string | null
  /** Ids, field names, counts — never narrative or personal details. */
  details?: Record<string, unknown>
  occurredAt: Date
  /** The key that seals the row (services/audit-keys.ts); null only where no encryption key is set. */
  chainKey: ChainKey | null
}

/**
 * Appends one row to the organisation's hash chain. Must run inside the transaction that does
 * the work being audited: the row lock on the chain head orders concurrent writers, and a
 * rollback takes the audit row with it (and the reverse).
 */
export async function appendAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  const head = await tx
    .selectFrom('audit_chain_head')
    .select(['last_seq', 'last_hash'])
    .where('organisation_id', '=', entry.organisationId)
    .forUpdate()
    .executeTakeFirst()
  if (!head) throw new Error('Organisation has no audit chain')

  const row = {
    organisation_id: entry.organisationId,
    seq: Number(head.last_seq) + 1,
    id: newId(),
    occurred_at: entry.occurredAt,
    actor_user_id: entry.actorUserId,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    record_type: entry.recordType ?? null,
    record_id: entry.recordId ?? null,
    request_id: entry.requestId ?? null,
    details: entry.details ?? {},
  }
  const hash = auditRowHash(head.last_hash, row, entry.chainKey)
  // The row and the new chain head in one statement (the head is already locked above).
  const moved = await tx
    .with('appended', (db) => db.insertInto('audit_event').values({ ...row, details: JSON.stringify(row.details), prev_hash: head.last_hash, hash, ...(entry.chainKey ? { hash_key_id: entry.chainKey.id } : {}) }).returning(['seq', 'hash']))
    .updateTable('audit_chain_head')
    .from('appended')
    .set((eb) => ({ last_seq: eb.ref('appended.seq'), last_hash: eb.ref('appended.hash') }))
    .where('audit_chain_head.organisation_id', '=', entry.organisationId)
    .executeTakeFirst()
  if (Number(moved.numUpdatedRows) !== 1) throw new Error('The audit chain head did not move')
}

export async function startAuditChain(tx: Executor, organisationId: string): Promise<void> {
  await tx.insertInto('audit_chain_head').values({ organisation_id: organisationId, last_seq: 0, last_hash: GENESIS_HASH }).execute()
}

export interface AuditRow {
  organisation_id: string
  seq: number
  id: string
  occurred_at: Date
  actor_user_id: string | null
  action: string
  outcome: string
  record_type: string | null
  record_id: string | null
  request_id: string | null
  details: Record<string, unknown>
  prev_hash: string
  hash: string
  hash_key_id: string | null
}

/** Reads a chain in order, in pages, for verification. */
export async function* auditChain(db: Executor, organisationId: string, pageSize = 2000): AsyncGenerator<AuditRow> {
  let after = 0
  for (;;) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute()
    // A database restored from before migration 0010 has no hash_key_id column yet: unkeyed rows.
    for (const row of rows) yield { ...row, seq: Number(row.seq), hash_key_id: row.hash_key_id ?? null } as AuditRow
    if (rows.length < pageSize) return
    after = Number(rows[rows.length - 1]!.seq)
  }
}

export async function auditChainHead(db: Executor, organisationId: string) {
  return db.selectFrom('audit_chain_head').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst()
}

export interface ViewerRow {
  actor_user_id: string | null
  display_name: string | null
  action: string
  occurred_at: Date
  /** Ids and field names only (which tab, which document): never narrative. */
  details: Record<string, unknown> | null
}

/** Who has opened a record, newest first (one query, names joined). */
export async function recordViewers(
  db: Executor,
  organisationId: string,
  recordType: string,
  recordId: string,
  actions: readonly string[],
  limit = 500,
): Promise<ViewerRow[]> {
  return db
    .selectFrom('audit_event as a')
    .leftJoin('app_user as u', (join) => join.onRef('u.organisation_id', '=', 'a.organisation_id').onRef('u.id', '=', 'a.actor_user_id'))
    .select(['a.actor_user_id', 'u.display_name', 'a.action', 'a.occurred_at', 'a.details'])
    .where('a.organisation_id', '=', organisationId)
    .where('a.record_type', '=', recordType)
    .where('a.record_id', '=', recordId)
    .where('a.outcome', '=', 'success')
    .where('a.action', 'in', actions)
    .orderBy('a.seq', 'desc')
    .limit(limit)
    .execute()
}
