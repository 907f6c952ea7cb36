import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql, type Kysely } from 'kysely'
import { loadConfig } from '../../src/config.js'
import { openDatabase, type Database } from '../../src/db/connect.js'
import { APPEND_ONLY_TABLES, roleFacts } from '../../src/db/privileges.js'
import { createLogger } from '../../src/logger.js'
import { openAndMigrate } from '../../src/server.js'
import { APP_ROLE, asServerAdmin, createTestDatabase, ensureRole, type TestDatabase } from '../helpers/database.js'

/** Tables guarded by a trigger that refuses UPDATE and DELETE outright (the append-only evidence). */
async function tablesWithAppendOnlyTriggers(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ table: string }>`
    SELECT DISTINCT c.relname AS table
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE NOT t.tgisinternal AND p.proname LIKE '%append_only%'
    ORDER BY 1`.execute(db)
  return rows.map((r) => r.table)
}

describe('the append-only evidence tables', () => {
  let database: TestDatabase
  before(async () => (database = await createTestDatabase()))
  after(() => database.close())

  it('are exactly the tables whose triggers refuse changes, so a new evidence table cannot be left writable by the application', async () => {
    assert.deepEqual(await tablesWithAppendOnlyTriggers(database.owner), [...APPEND_ONLY_TABLES].sort())
  })
})

const serverUrl = process.env.TEST_DATABASE_URL

// The application's own role exists only on a PostgreSQL server; the embedded engine has one role.
if (serverUrl) {
  describe('the application’s role on PostgreSQL (DATABASE_OWNER_URL for migrations, DATABASE_URL for the application)', () => {
    let database: TestDatabase

    before(async () => (database = await createTestDatabase()))
    after(() => database.close())

    const refusal = (error: unknown) => (error as { code?: string }).code === '42501' // insufficient_privilege

    it('owns nothing and is not a superuser', async () => {
      assert.deepEqual(await roleFacts(database.db), { superuser: false, ownsTables: false })
    })

    it('cannot change or remove evidence, switch off or drop its triggers, or empty a table', async () => {
      for (const table of APPEND_ONLY_TABLES) {
        await assert.rejects(sql`UPDATE ${sql.table(table)} SET organisation_id = organisation_id`.execute(database.db), refusal, `UPDATE ${table}`)
        await assert.rejects(sql`DELETE FROM ${sql.table(table)}`.execute(database.db), refusal, `DELETE ${table}`)
      }
      await assert.rejects(sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(database.db), /must be owner of (table|relation) audit_event/)
      await assert.rejects(sql`DROP TRIGGER audit_event_no_update ON audit_event`.execute(database.db), /must be owner of (table|relation) audit_event/)
      await assert.rejects(sql`DROP TABLE audit_chain_head`.execute(database.db), /must be owner of (table|relation) audit_chain_head/)
      await assert.rejects(sql`TRUNCATE concern`.execute(database.db), refusal)
      await assert.rejects(sql`CREATE TABLE public.kestrel_intruder (id int)`.execute(database.db), refusal)
      await assert.rejects(sql`DELETE FROM kestrel_migration`.execute(database.db), refusal, 'the migration record is read-only to it')
    })

    it('still reads and adds to evidence, and reads the migration record', async () => {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kestrel_migration`.execute(database.db)
      assert.ok(rows[0]!.n > 0)
      for (const table of APPEND_ONLY_TABLES) await sql`SELECT 1 FROM ${sql.table(table)} LIMIT 1`.execute(database.db)
    })
  })

  describe('starting Kestrel with DATABASE_OWNER_URL', () => {
    const name = `kestrel_roles_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
    let ownerUrl: string
    let appUrl: string

    /** Starts as `kestrel serve` does (migrations included) and returns what it logged. */
    async function open(env: Record<string, string>): Promise<{ database: Database; logged: string }> {
      const lines: string[] = []
      const logger = createLogger('warn', { write: (line: string) => lines.push(line) })
      const database = await openAndMigrate(loadConfig({ NODE_ENV: 'test', ...env }), 'test', logger)
      return { database, logged: lines.join('') }
    }

    before(async () => {
      await asServerAdmin(async (c) => {
        await c.query(`CREATE DATABASE ${name}`)
        await ensureRole(c, APP_ROLE)
      })
      const url = new URL(serverUrl!)
      url.pathname = `/${name}`
      ownerUrl = url.toString()
      url.username = APP_ROLE
      appUrl = url.toString()
    })
    after(() => asServerAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))

    it('migrates as the owner and gives the application’s role its privileges, again on every start; no warning', async () => {
      for (const start of [1, 2]) {
        const { database, logged } = await open({ DATABASE_URL: appUrl, DATABASE_OWNER_URL: ownerUrl })
        try {
          assert.deepEqual(await roleFacts(database.db), { superuser: false, ownsTables: false }, `start ${start}`)
          await assert.rejects(sql`UPDATE audit_event SET action = action`.execute(database.db), /permission denied for table audit_event/)
          const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM organisation`.execute(database.db)
          assert.equal(rows[0]!.n, 0)
          assert.doesNotMatch(logged, /could alter its audit tables/)
        } finally {
          await database.close()
        }
      }
    })

    it('starts with the application’s role alone once the owner has migrated (the owner’s password can stay off the servers)', async () => {
      const { database, logged } = await open({ DATABASE_URL: appUrl })
      try {
        assert.deepEqual(await roleFacts(database.db), { superuser: false, ownsTables: false })
        assert.doesNotMatch(logged, /could alter its audit tables/)
      } finally {
        await database.close()
      }
    })

    it('warns when it connects as the owner of its tables', async () => {
      const { database, logged } = await open({ DATABASE_URL: ownerUrl })
      await database.close()
      assert.match(logged, /Kestrel connects to PostgreSQL as a superuser, so the application could alter its audit tables: set DATABASE_OWNER_URL/)
    })

    it('refuses to run the application as the owner’s own role, and DATABASE_OWNER_URL without DATABASE_URL', async () => {
      await assert.rejects(open({ DATABASE_URL: ownerUrl, DATABASE_OWNER_URL: ownerUrl }), /The application role must not be the owner of the tables/)
      assert.throws(() => loadConfig({ NODE_ENV: 'test', DATABASE_OWNER_URL: ownerUrl }), /DATABASE_OWNER_URL is set without DATABASE_URL/)
      const owner = await openDatabase({ kind: 'postgres', url: ownerUrl, maxConnections: 1 })
      try {
        // The refused start changed no privileges: the owner can still do everything the triggers allow.
        await sql`SELECT 1 FROM audit_event LIMIT 1`.execute(owner.db)
        assert.equal((await roleFacts(owner.db)).ownsTables, true)
      } finally {
        await owner.close()
      }
    })
  })
}
