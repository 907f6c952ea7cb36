import path from 'node:path'
import { backupAndPrune, writeEmbeddedBackup } from '../backup/write-backup.js'
import type { Config } from '../config.js'
import type { Database } from '../db/connect.js'
import { currentChainKey } from '../services/audit-keys.js'
import { recordBackup } from '../services/backup-audit.js'
import type { JobDefinition } from './job.js'

/**
 * Each night, a backup of the embedded database into KESTREL_BACKUP_DIR, keeping the newest
 * KESTREL_BACKUP_KEEP. It needs the open PGlite instance (only the process holding the data
 * folder can copy it), so the job is made per server rather than listed in registry.ts.
 * PostgreSQL installations back up with `kestrel backup --keep N` from cron (docs/operations.md).
 */
export function nightlyBackupJob(database: Database): JobDefinition {
  return {
    name: 'nightly-backup',
    schedule: { kind: 'daily', at: '02:00' },
    leaseMs: 60 * 60_000,
    async run(ctx) {
      const now = ctx.now()
      const chainKey = currentChainKey(ctx.config.encryptionKeys)
      const write = async (f: string) => recordBackup(database, chainKey, f, await writeEmbeddedBackup(database, f, now), 'nightly', now)
      const { file, pruned } = await backupAndPrune(write, ctx.config.backup.dir, ctx.config.backup.keep, now)
      ctx.logger.info({ file: path.basename(file), pruned: pruned.length }, 'Nightly backup written')
    },
  }
}

export function embeddedBackupJobs(database: Database, config: Config): JobDefinition[] {
  return database.engine === 'pglite' && database.dataDir && config.backup.nightly ? [nightlyBackupJob(database)] : []
}
