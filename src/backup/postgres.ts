import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Database } from '../db/connect.js'
import { appliedMigrations, countUserObjects, serverVersion } from '../repositories/database-info-repository.js'
import { BackupError, type OpenedArchive } from './archive.js'

export const POSTGRES_PAYLOAD = 'database.dump'

/**
 * libpq reads the password from PGPASSWORD, so it never appears in the process list; the rest
 * of the connection string (host, port, database, sslmode…) is passed as --dbname.
 */
function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url)
  const password = decodeURIComponent(parsed.password)
  parsed.password = ''
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdin?: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: [stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')).length > 20_000 && (stderr = stderr.slice(-20_000)))
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(new BackupError(`${command} was not found. Install the PostgreSQL client tools for your server's version (Debian or Ubuntu: apt-get install postgresql-client) or put them on PATH.`))
      } else reject(error)
    })
    if (stdin) pipeline(stdin, child.stdin!).catch(() => {})
    child.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new BackupError(`${command} failed (exit code ${code}): ${stderr.trim().split('\n').slice(-5).join(' ')}`))
    })
  })
}

/** pg_dump in its custom format: one consistent snapshot, compressed, restorable with pg_restore. */
export async function dumpPostgres(database: Database, url: string, into: string): Promise<{ migrations: string[]; databaseVersion: string }> {
  const migrations = await appliedMigrations(database.db)
  const databaseVersion = `PostgreSQL ${await serverVersion(database.db)}`
  const { dbname, env } = connectionFor(url)
  await run('pg_dump', ['--format=custom', '--compress=6', '--no-owner', '--no-privileges', `--file=${into}`, `--dbname=${dbname}`], env)
  return { migrations, databaseVersion }
}

/** Restores only into a database with nothing in it, all or nothing (one transaction). */
export async function restorePostgres(archive: OpenedArchive, database: Database, url: string): Promise<void> {
  const existing = await countUserObjects(database.db)
  if (existing > 0) {
    throw new BackupError(
      `The database named by DATABASE_URL is not empty (${existing} tables or other objects). Kestrel restores only into an empty database: create a new one (for example "createdb kestrel_restored") and point DATABASE_URL at it.`,
    )
  }
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-restore-'))
  const file = path.join(temp, POSTGRES_PAYLOAD)
  try {
    await pipeline(archive.stream(archive.manifest.payload.name), fs.createWriteStream(file, { mode: 0o600 }))
    const { dbname, env } = connectionFor(url)
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${dbname}`, file], env)
  } finally {
    fs.rmSync(temp, { recursive: true, force: true })
  }
}
