import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { openDatabase, type Database } from '../../src/db/connect.js'
import { migrateAsOwner, migrateToLatest } from '../../src/db/migrate.js'
import type { DB } from '../../src/db/schema.js'
import { projectRoot } from '../../src/project-root.js'

/**
 * The role the application connects as in PostgreSQL test runs: not the tables' owner, with only
 * the privileges `grantApplicationAccess` gives, as in production with DATABASE_OWNER_URL. The
 * server's own user (TEST_DATABASE_URL) owns the tables and runs the migrations.
 */
export const APP_ROLE = 'kestrel_test_app'

export interface TestDatabase extends Database {
  /**
   * The tables' owner, for tests that must do what the application cannot (disable a trigger to
   * tamper with the audit trail). On the embedded engine there is one role, so it is `db`.
   */
  owner: Kysely<DB>
}

/**
 * A fresh, migrated database for one test: PGlite in memory, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (created here, dropped on close).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL
  if (!serverUrl) {
    const database = await openDatabase({ kind: 'pglite-memory', loadDataDir: await migratedTemplate() })
    return { ...database, owner: database.db }
  }
  const name = `kestrel_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await ensureRole(admin, APP_ROLE)
  await admin.end()
  const ownerUrl = new URL(serverUrl)
  ownerUrl.pathname = `/${name}`
  const appUrl = new URL(ownerUrl)
  appUrl.username = APP_ROLE
  appUrl.password = ''
  const owner = await openDatabase({ kind: 'postgres', url: ownerUrl.toString(), maxConnections: 2 })
  const database = await openDatabase({ kind: 'postgres', url: appUrl.toString(), maxConnections: 5 })
  await migrateAsOwner(owner.db, database.db)
  const close = database.close
  return {
    ...database,
    owner: owner.db,
    close: async () => {
      await close()
      await owner.close()
      const dropper = new pg.Client({ connectionString: serverUrl })
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await dropper.end()
    },
  }
}

/** One connection to the PostgreSQL server named by TEST_DATABASE_URL, as its administrator (databases, roles). */
export async function asServerAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Roles belong to the whole server, and test files start in parallel: a second CREATE may race the first. */
export async function ensureRole(admin: pg.Client, role: string): Promise<void> {
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN`)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code !== '42710' && code !== '23505') throw error // duplicate_object, or unique_violation in the race
  }
}

export const engineName = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'

/**
 * How the application's own connection is refused a change to an evidence table: on PostgreSQL it
 * lacks the privilege; on the embedded engine (one role, the owner) the append-only trigger says no.
 */
export function appendOnlyRefusal(table: string): RegExp {
  return engineName === 'PostgreSQL' ? new RegExp(`permission denied for table ${table}`) : /append-only/
}

let template: Promise<Blob> | undefined

/**
 * A freshly migrated PGlite database, as a data-folder archive. Creating a PGlite database runs
 * initdb (seconds); loading an archive is a fraction of that, so every test database starts from
 * this one. The archive is cached in the temp folder under a hash of everything that shapes the
 * schema (src/db and the PGlite version), so a changed migration always builds a new one.
 */
function migratedTemplate(): Promise<Blob> {
  return (template ??= (async () => {
    const file = path.join(os.tmpdir(), `kestrel-test-template-${schemaHash()}.tar`)
    if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)])
    const pglite = await openDatabase({ kind: 'pglite-memory' })
    try {
      await migrateToLatest(pglite.db)
      await pglite.db.destroy()
      const archive = await (pglite.pglite as PGlite).dumpDataDir('none')
      // Written under a unique name and renamed, so a test file never reads a half-written archive.
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
      fs.writeFileSync(partial, Buffer.from(await archive.arrayBuffer()))
      fs.renameSync(partial, file)
      return archive
    } finally {
      await pglite.pglite?.close().catch(() => {})
    }
  })())
}

function schemaHash(): string {
  const hash = createHash('sha256')
  const root = projectRoot
  const pgliteVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version
  hash.update(`pglite ${pgliteVersion}\n`)
  const files = fs.readdirSync(path.join(root, 'src/db'), { recursive: true, encoding: 'utf8' }).sort()
  for (const file of files) {
    const full = path.join(root, 'src/db', file)
    if (fs.statSync(full).isFile()) hash.update(`${file}\n`).update(fs.readFileSync(full))
  }
  return hash.digest('hex').slice(0, 16)
}
