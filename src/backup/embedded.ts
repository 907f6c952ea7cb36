import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { DATA_FOLDER_MARKER, type Database } from '../db/connect.js'
import { acquireDataDirLock } from '../db/data-dir-lock.js'
import { appliedMigrations, serverVersion } from '../repositories/database-info-repository.js'
import { DATA_FOLDER_KEY_FILE } from '../services/encryption-key.js'
import { BackupError, type ArchiveSource, type OpenedArchive } from './archive.js'

export const EMBEDDED_PAYLOAD = 'pgdata.tar.gz'

export interface EmbeddedDump {
  payload: Buffer
  extras: ArchiveSource[]
  migrations: string[]
  databaseVersion: string
}

/**
 * A consistent copy of an open embedded database. The one pool connection is held for the whole
 * dump, so no transaction is half-way through; a CHECKPOINT writes everything to the data files,
 * and PGlite's dumpDataDir (which itself waits for any query in progress) tars the folder.
 */
export async function dumpEmbedded(database: Database): Promise<EmbeddedDump> {
  const pglite = database.pglite
  if (!pglite) throw new Error('dumpEmbedded needs the embedded database')
  const dump = await database.db.connection().execute(async (conn) => {
    const migrations = await appliedMigrations(conn)
    const databaseVersion = `PostgreSQL ${await serverVersion(conn)} (PGlite)`
    await pglite.exec('CHECKPOINT')
    const blob = await pglite.dumpDataDir('gzip')
    return { payload: Buffer.from(await blob.arrayBuffer()), migrations, databaseVersion }
  })
  const extras: ArchiveSource[] = []
  const keyFile = database.dataDir ? path.join(database.dataDir, DATA_FOLDER_KEY_FILE) : undefined
  if (keyFile && fs.existsSync(keyFile)) extras.push({ name: DATA_FOLDER_KEY_FILE, data: fs.readFileSync(keyFile) })
  return { ...dump, extras }
}

/** Only a folder that does not exist yet, or is empty, may receive a restore. */
function assertEmptyFolder(dataDir: string): void {
  const present = fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((f) => f !== 'kestrel.lock') : []
  if (present.length > 0) {
    throw new BackupError(
      `The data folder ${dataDir} is not empty. Kestrel restores only into a new, empty folder: set KESTREL_DATA_DIR to a new folder (or move this one aside) and run the restore again.`,
    )
  }
}

/**
 * Unpacks an embedded backup into a new data folder. The database is built in pgdata.restoring
 * and renamed into place, and the marker is written last: a restore that stops half-way leaves
 * a folder Kestrel refuses to open, never one that looks complete.
 */
export async function restoreEmbedded(archive: OpenedArchive, dataDir: string): Promise<void> {
  assertEmptyFolder(dataDir)
  const release = acquireDataDirLock(dataDir, 'restore')
  try {
    assertEmptyFolder(dataDir) // again, now that no other process can start here
    const restoring = path.join(dataDir, 'pgdata.restoring')
    const payload = archive.read(archive.manifest.payload.name)
    let pglite: PGlite | undefined
    try {
      pglite = await PGlite.create(restoring, { extensions: { pg_trgm }, loadDataDir: new Blob([payload]) })
      await pglite.query('SELECT 1')
      await pglite.exec('CHECKPOINT')
    } catch (error) {
      throw new BackupError(`The backup's database could not be unpacked (${(error as Error).message}). Nothing usable was restored; delete ${dataDir} before trying again.`)
    } finally {
      await pglite?.close().catch(() => {})
    }
    fs.renameSync(restoring, path.join(dataDir, 'pgdata'))
    for (const extra of archive.manifest.extras) {
      if (extra.name === DATA_FOLDER_KEY_FILE) fs.writeFileSync(path.join(dataDir, DATA_FOLDER_KEY_FILE), archive.read(extra.name), { mode: 0o600 })
    }
    fs.writeFileSync(path.join(dataDir, DATA_FOLDER_MARKER), JSON.stringify({ createdAt: new Date().toISOString(), engine: 'pglite', restoredFrom: path.basename(archive.file), backupCreatedAt: archive.manifest.createdAt }))
  } finally {
    release()
  }
}
