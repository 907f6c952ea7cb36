import type { Config } from '../config.js'
import { openDatabase, type Database } from '../db/connect.js'
import { migrations } from '../db/migrations/index.js'
import { currentRole, grantApplicationAccess } from '../db/privileges.js'
import { unknownMigrations, type BackupManifest } from '../domain/backup.js'
import { appliedMigrations } from '../repositories/database-info-repository.js'
import { chainKeyring, currentChainKey } from '../services/audit-keys.js'
import { recordRestore } from '../services/backup-audit.js'
import { verifyAuditChains, type ChainReport } from '../services/audit-verify.js'
import { resolveEncryptionKeys } from '../services/encryption-key.js'
import { BackupError, readArchive } from './archive.js'
import { restoreEmbedded } from './embedded.js'
import { restorePostgres } from './postgres.js'

export interface RestoreReport {
  manifest: BackupManifest
  target: string
  chains: ChainReport[]
  /** Migrations this build will apply when Kestrel next starts (the backup came from an older release). */
  pendingMigrations: string[]
}

/**
 * `kestrel restore FILE`: checks the whole file first (nothing is touched if it is damaged),
 * restores into an empty target only, then opens the result and verifies every audit chain.
 * It does not migrate: starting Kestrel afterwards applies any newer migrations.
 */
export async function restoreCommand(config: Config, file: string, now: Date = new Date()): Promise<RestoreReport> {
  const archive = await readArchive(file)
  const { manifest } = archive
  const unknown = unknownMigrations(manifest, Object.keys(migrations))
  if (unknown.length > 0) {
    throw new BackupError(`The backup was made by a newer Kestrel (it has migration ${unknown.join(', ')}, which this version does not know). Restore it with that version or later.`)
  }
  const targetEngine = config.database.kind === 'postgres' ? 'postgres' : 'pglite'
  if (manifest.engine !== targetEngine) {
    throw new BackupError(
      manifest.engine === 'pglite'
        ? 'This is a backup of the embedded database: restore it into a data folder (unset DATABASE_URL and set KESTREL_DATA_DIR to a new folder).'
        : 'This is a backup of a PostgreSQL database: restore it into an empty PostgreSQL database (set DATABASE_URL).',
    )
  }

  let target: string
  let database
  if (config.database.kind === 'postgres') {
    const url = new URL(config.database.url)
    target = `the PostgreSQL database ${url.pathname.slice(1)} on ${url.host}`
    // The restored tables belong to whoever restores them: the owner's role when there is one.
    const restoreUrl = config.database.ownerUrl ?? config.database.url
    database = await openDatabase({ kind: 'postgres', url: restoreUrl, maxConnections: 1 })
    try {
      await restorePostgres(archive, database, restoreUrl)
      if (config.database.ownerUrl) await grantToApplication(database, config.database.url)
    } catch (error) {
      await database.close()
      throw error
    }
  } else {
    target = `the data folder ${config.database.dataDir}`
    await restoreEmbedded(archive, config.database.dataDir)
    database = await openDatabase({ kind: 'pglite', dataDir: config.database.dataDir }, 'restore check')
  }
  try {
    const applied = await appliedMigrations(database.db)
    if (applied.join(',') !== manifest.migrations.join(',')) {
      throw new BackupError(`The restored database does not hold the migrations its manifest lists. Do not use it; restore another copy of the backup.`)
    }
    const keys = resolveEncryptionKeys(config, database.dataDir)
    const chains = await verifyAuditChains(database.db, chainKeyring(keys))
    const pendingMigrations = Object.keys(migrations).filter((m) => !applied.includes(m))
    // A backup from before keyed chains has nowhere to name a key yet: its restore row is unkeyed.
    await recordRestore(database, pendingMigrations.includes('0010_keyed_audit_chain') ? null : currentChainKey(keys), manifest, chains, now)
    return { manifest, target, chains, pendingMigrations }
  } finally {
    await database.close()
  }
}

/** After a restore as the owner: the application's role gets its privileges, as after a migration. */
async function grantToApplication(owner: Database, appUrl: string): Promise<void> {
  const app = await openDatabase({ kind: 'postgres', url: appUrl, maxConnections: 1 })
  try {
    await grantApplicationAccess(owner.db, await currentRole(app.db))
  } finally {
    await app.close()
  }
}
