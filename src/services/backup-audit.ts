import fs from 'node:fs'
import path from 'node:path'
import type { ChainKey } from '../domain/audit-hash.js'
import type { BackupManifest } from '../domain/backup.js'
import type { Database } from '../db/connect.js'
import { appendAudit } from '../repositories/audit-repository.js'
import { listOrganisationIds } from '../repositories/organisation-repository.js'
import type { ChainReport } from './audit-verify.js'

/** How a backup was asked for: `kestrel backup`, the nightly job, or `kestrel backup` through the running server. */
export type BackupVia = 'command' | 'nightly' | 'running server'

/**
 * A backup is a copy of every organisation's records, so each organisation's audit trail says
 * when one was made and which file it was (its payload's checksum, which `kestrel restore`
 * checks), in one transaction. Nobody is signed in: the actor is the installation itself.
 */
async function appendToEveryChain(database: Database, chainKey: ChainKey | null, action: string, occurredAt: Date, details: Record<string, unknown>): Promise<void> {
  await database.db.transaction().execute(async (tx) => {
    for (const organisationId of await listOrganisationIds(tx)) {
      await appendAudit(tx, { organisationId, actorUserId: null, action, recordType: 'backup', occurredAt, details, chainKey })
    }
  })
}

/**
 * Records a backup just written to `file`. A backup that cannot be recorded is deleted: a copy
 * of everything that the audit trail does not know about is worse than no copy.
 */
export async function recordBackup(database: Database, chainKey: ChainKey | null, file: string, manifest: BackupManifest, via: BackupVia, now: Date): Promise<void> {
  try {
    await appendToEveryChain(database, chainKey, 'backup.create', now, {
      via,
      // The running server writes to a temporary file that `kestrel backup` then names itself.
      ...(via === 'running server' ? {} : { file: path.basename(file) }),
      bytes: fs.statSync(file).size,
      engine: manifest.engine,
      migration_level: manifest.migrationLevel,
      payload_sha256: manifest.payload.sha256,
    })
  } catch (error) {
    fs.rmSync(file, { force: true })
    throw error
  }
}

/** Records, in the restored database, which backup it came from and whether its audit chains verified. */
export function recordRestore(database: Database, chainKey: ChainKey | null, manifest: BackupManifest, chains: readonly ChainReport[], now: Date): Promise<void> {
  return appendToEveryChain(database, chainKey, 'backup.restore', now, {
    backup_created_at: manifest.createdAt,
    engine: manifest.engine,
    migration_level: manifest.migrationLevel,
    payload_sha256: manifest.payload.sha256,
    chains_intact: chains.every((c) => c.ok),
  })
}
