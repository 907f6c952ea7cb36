import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Config } from '../config.js'
import { DATA_FOLDER_MARKER, openDatabase, type Database } from '../db/connect.js'
import { DataDirLockedError } from '../db/data-dir-lock.js'
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, backupFileName, backupsToPrune, type BackupManifest } from '../domain/backup.js'
import { projectRoot } from '../project-root.js'
import { currentChainKey } from '../services/audit-keys.js'
import { recordBackup } from '../services/backup-audit.js'
import { resolveEncryptionKeys } from '../services/encryption-key.js'
import { BackupError, writeArchive } from './archive.js'
import { backupThroughServer } from './channel-client.js'
import { dumpEmbedded, EMBEDDED_PAYLOAD } from './embedded.js'
import { dumpPostgres, POSTGRES_PAYLOAD } from './postgres.js'

const kestrelVersion = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version

/** Backs up an open embedded database (the server's own, or one the command opened). */
export async function writeEmbeddedBackup(database: Database, output: string, now: Date): Promise<BackupManifest> {
  const dump = await dumpEmbedded(database)
  return writeArchive(
    output,
    {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      engine: 'pglite',
      createdAt: now.toISOString(),
      kestrelVersion,
      migrationLevel: dump.migrations.at(-1) ?? null,
      migrations: dump.migrations,
      databaseVersion: dump.databaseVersion,
      payload: { name: EMBEDDED_PAYLOAD, compression: 'gzip' },
    },
    { name: EMBEDDED_PAYLOAD, data: dump.payload },
    dump.extras,
    now,
  )
}

export async function writePostgresBackup(database: Database, url: string, output: string, now: Date): Promise<BackupManifest> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-pgdump-'))
  try {
    const dumpFile = path.join(temp, POSTGRES_PAYLOAD)
    const { migrations, databaseVersion } = await dumpPostgres(database, url, dumpFile)
    return await writeArchive(
      output,
      {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        engine: 'postgres',
        createdAt: now.toISOString(),
        kestrelVersion,
        migrationLevel: migrations.at(-1) ?? null,
        migrations,
        databaseVersion,
        payload: { name: POSTGRES_PAYLOAD, compression: 'pg_dump-custom' },
      },
      { name: POSTGRES_PAYLOAD, path: dumpFile },
      [],
      now,
    )
  } finally {
    fs.rmSync(temp, { recursive: true, force: true })
  }
}

export type BackupRoute = 'database server' | 'data folder' | 'running server'

/**
 * `kestrel backup`: PostgreSQL through pg_dump; the embedded database by opening its folder when
 * no server holds it, or through the running server's backup channel when one does. Never
 * migrates: a backup taken before an upgrade must be the database as it was.
 */
export async function backupCommand(config: Config, output: string, now: Date): Promise<BackupRoute> {
  if (config.database.kind === 'postgres') {
    const database = await openDatabase({ kind: 'postgres', url: config.database.url, maxConnections: 1 })
    try {
      const manifest = await writePostgresBackup(database, config.database.url, output, now)
      await recordBackup(database, currentChainKey(resolveEncryptionKeys(config, undefined)), output, manifest, 'command', now)
      return 'database server'
    } finally {
      await database.close()
    }
  }
  const dataDir = config.database.dataDir
  if (!fs.existsSync(path.join(dataDir, DATA_FOLDER_MARKER))) {
    throw new BackupError(`There is no Kestrel data folder at ${dataDir}: nothing to back up. Set KESTREL_DATA_DIR to the folder to back up.`)
  }
  let database: Database
  try {
    database = await openDatabase({ kind: 'pglite', dataDir }, 'backup')
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error
    await backupThroughServer(dataDir, output)
    return 'running server'
  }
  try {
    const manifest = await writeEmbeddedBackup(database, output, now)
    await recordBackup(database, currentChainKey(resolveEncryptionKeys(config, dataDir)), output, manifest, 'command', now)
    return 'data folder'
  } finally {
    await database.close()
  }
}

/** A dated backup in `dir`, then delete all but the newest `keep` (the nightly job and `kestrel backup --keep`). */
export async function backupAndPrune(write: (file: string) => Promise<unknown>, dir: string, keep: number, now: Date): Promise<{ file: string; pruned: string[] }> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = path.join(dir, backupFileName(now))
  await write(file)
  const pruned = backupsToPrune(fs.readdirSync(dir), keep)
  for (const name of pruned) fs.rmSync(path.join(dir, name), { force: true })
  return { file, pruned }
}
