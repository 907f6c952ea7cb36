import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { openDatabase, type Database } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { projectRoot } from '../../src/project-root.js'

/**
 * A fresh, migrated database for one test: PGlite in memory, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (created here, dropped on close).
 */
export async function createTestDatabase(): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL
  if (!serverUrl) return openDatabase({ kind: 'pglite-memory', loadDataDir: await migratedTemplate() })
  const name = `kestrel_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 5 })
  await migrateToLatest(database.db)
  const close = database.close
  return {
    ...database,
    close: async () => {
      await close()
      const dropper = new pg.Client({ connectionString: serverUrl })
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await dropper.end()
    },
  }
}

export const engineName = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'

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
