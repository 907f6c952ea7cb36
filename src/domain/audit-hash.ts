import { createHash, createHmac } from 'node:crypto'

export const GENESIS_HASH = '0'.repeat(64)

export interface HashableAuditRow {
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
  details: unknown
}

/** Canonical JSON: object keys sorted at every depth, so a value hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** A secret held outside the database that seals audit rows, and the id rows record it by. */
export interface ChainKey {
  id: string
  secret: Buffer
}

/**
 * Each row's hash covers its own content and the previous row's hash, so any edit breaks the
 * chain. With a key it is an HMAC that also covers the key's id, so someone who can rewrite the
 * table but does not hold the key cannot recompute it. Without one (rows written before keying,
 * or PostgreSQL outside production with no key set) it is plain SHA-256, as it always was.
 */
export function auditRowHash(prevHash: string, row: HashableAuditRow, key: ChainKey | null): string {
  const content = canonicalJson({
    ...(key ? { hash_key_id: key.id } : {}),
    organisation_id: row.organisation_id,
    seq: row.seq,
    id: row.id,
    occurred_at: row.occurred_at.toISOString(),
    actor_user_id: row.actor_user_id,
    action: row.action,
    outcome: row.outcome,
    record_type: row.record_type,
    record_id: row.record_id,
    request_id: row.request_id,
    details: row.details,
  })
  const digest = key ? createHmac('sha256', key.secret) : createHash('sha256')
  return digest.update(prevHash).update('\n').update(content).digest('hex')
}
