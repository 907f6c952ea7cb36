import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { BackupError, readArchive, writeArchive } from '../../src/backup/archive.js'
import { restoreCommand } from '../../src/backup/restore.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/connect.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { roleFacts } from '../../src/db/privileges.js'
import { countUserObjects } from '../../src/repositories/database-info-repository.js'
import { cliEnv, runCli, tempDataDir } from '../cli/cli-process.js'
import { TEST_ENCRYPTION_KEY } from '../helpers/app.js'
import { APP_ROLE, asServerAdmin, ensureRole } from '../helpers/database.js'
import { alteredCopy, backupAuditRows, fingerprint, populate, tarOffset } from './backup-fixtures.js'

describe('restoring across engines', () => {
  const dir = tempDataDir('cross-engine')
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('refuses a PostgreSQL backup into a data folder, and an embedded backup into PostgreSQL, before touching either', async () => {
    const now = new Date('2026-03-09T10:00:00Z')
    const common = { format: 'kestrel-backup' as const, formatVersion: 1, createdAt: now.toISOString(), kestrelVersion: '0.1.0', migrationLevel: '0001_foundation', migrations: ['0001_foundation'], databaseVersion: 'PostgreSQL 15' }
    const pgFile = path.join(dir, 'pg.tar')
    await writeArchive(pgFile, { ...common, engine: 'postgres', payload: { name: 'database.dump', compression: 'pg_dump-custom' } }, { name: 'database.dump', data: Buffer.from('PGDMP not really') }, [], now)
    const embeddedFile = path.join(dir, 'embedded.tar')
    await writeArchive(embeddedFile, { ...common, engine: 'pglite', payload: { name: 'pgdata.tar.gz', compression: 'gzip' } }, { name: 'pgdata.tar.gz', data: Buffer.from('not really') }, [], now)

    const target = path.join(dir, 'target')
    await assert.rejects(restoreCommand(loadConfig({ NODE_ENV: 'test', KESTREL_DATA_DIR: target }), pgFile), (e: Error) => e instanceof BackupError && /backup of a PostgreSQL database: restore it into an empty PostgreSQL database/.test(e.message))
    assert.ok(!fs.existsSync(target))
    // The address is never contacted: the engine is checked first.
    await assert.rejects(restoreCommand(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }), embeddedFile), /backup of the embedded database: restore it into a data folder/)
  })
})

const serverUrl = process.env.TEST_DATABASE_URL

// Runs wherever a PostgreSQL server is available (CI sets TEST_DATABASE_URL); the embedded
// engine's backups are covered by backup-embedded.embedded.test.ts on every run.
if (serverUrl) {
  describe('backup and restore on PostgreSQL', () => {
    const created: string[] = []
    const dir = tempDataDir('pg-backup')
    let sourceUrl: string
    let sourcePrint: Record<string, string>
    let backupFile: string

    async function newDatabase(): Promise<string> {
      const name = `kestrel_backup_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
      await asServerAdmin((c) => c.query(`CREATE DATABASE ${name}`))
      created.push(name)
      const url = new URL(serverUrl!)
      url.pathname = `/${name}`
      return url.toString()
    }

    async function withDatabase<T>(url: string, use: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
      const database = await openDatabase({ kind: 'postgres', url, maxConnections: 2 })
      try {
        return await use(database.db)
      } finally {
        await database.close()
      }
    }

    // The key that sealed the audit rows (the test factories'), which restore needs to verify them.
    const envFor = (url: string, extra: Record<string, string> = {}) => ({ ...cliEnv(dir), DATABASE_URL: url, KESTREL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, ...extra })

    before(async () => {
      sourceUrl = await newDatabase()
      sourcePrint = await withDatabase(sourceUrl, async (db) => {
        await migrateToLatest(db)
        await populate(db)
        return fingerprint(db)
      })
    })
    after(async () => {
      for (const name of created) await asServerAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
      fs.rmSync(dir, { recursive: true, force: true })
    })

    it('`kestrel backup` writes a pg_dump backup with a manifest, and `kestrel restore` rebuilds it in an empty database with a verified audit trail', async () => {
      backupFile = path.join(dir, 'pg.tar')
      const made = await runCli(['backup', '--output', backupFile], envFor(sourceUrl))
      assert.equal(made.code, 0, made.stderr)
      assert.match(made.stdout, /made through the database server/)
      const { manifest } = await readArchive(backupFile)
      assert.equal(manifest.engine, 'postgres')
      assert.equal(manifest.payload.compression, 'pg_dump-custom')
      assert.match(manifest.databaseVersion, /^PostgreSQL \d+/)
      const bytes = fs.readFileSync(backupFile)
      const at = tarOffset(bytes, 'database.dump')
      assert.equal(bytes.subarray(at, at + 5).toString('latin1'), 'PGDMP', 'a pg_dump custom-format archive, restorable with pg_restore too')

      const targetUrl = await newDatabase()
      const restored = await runCli(['restore', backupFile], envFor(targetUrl))
      assert.equal(restored.code, 0, restored.stderr)
      assert.equal(restored.stdout.match(/audit rows?, chain intact\./g)?.length, 2)
      assert.match(restored.stdout, /Restore complete\./)
      assert.deepEqual(await withDatabase(targetUrl, fingerprint), sourcePrint)

      // The source's trail records the backup (which file, by its checksum); the copy's, the restore.
      const recorded = await withDatabase(sourceUrl, backupAuditRows)
      assert.deepEqual(recorded.map((r) => [r.action, r.details]), [0, 1].map(() => ['backup.create', { via: 'command', file: 'pg.tar', bytes: bytes.length, engine: 'postgres', migration_level: manifest.migrationLevel, payload_sha256: manifest.payload.sha256 }]))
      const restoredRows = await withDatabase(targetUrl, backupAuditRows)
      assert.deepEqual(restoredRows.map((r) => [r.action, (r.details as { payload_sha256: string; chains_intact: boolean }).payload_sha256, (r.details as { chains_intact: boolean }).chains_intact]), [0, 1].map(() => ['backup.restore', manifest.payload.sha256, true]))
      const verified = await runCli(['audit', 'verify'], envFor(targetUrl))
      assert.equal(verified.code, 0, verified.stdout)
    })

    it('restores as the tables’ owner when DATABASE_OWNER_URL is set, leaving the application’s role only its privileges; a backup needs only that role', async () => {
      const ownerUrl = await newDatabase()
      const appUrl = new URL(ownerUrl)
      appUrl.username = APP_ROLE
      await asServerAdmin((c) => ensureRole(c, APP_ROLE))
      const restored = await runCli(['restore', backupFile], envFor(appUrl.toString(), { DATABASE_OWNER_URL: ownerUrl }))
      assert.equal(restored.code, 0, restored.stderr)
      assert.match(restored.stdout, /Restore complete\./)
      assert.deepEqual(await withDatabase(appUrl.toString(), fingerprint), sourcePrint)
      await withDatabase(appUrl.toString(), async (db) => {
        assert.deepEqual(await roleFacts(db), { superuser: false, ownsTables: false })
        await assert.rejects(sql`UPDATE audit_event SET action = action`.execute(db), /permission denied for table audit_event/)
      })
      const again = path.join(dir, 'as-application-role.tar')
      const made = await runCli(['backup', '--output', again], envFor(appUrl.toString()))
      assert.equal(made.code, 0, made.stderr)
      assert.equal((await readArchive(again)).manifest.engine, 'postgres')
    })

    it('refuses to restore into a database that is not empty, and changes nothing there', async () => {
      const refused = await runCli(['restore', backupFile], envFor(sourceUrl))
      assert.equal(refused.code, 1)
      assert.match(refused.stderr, /The database named by DATABASE_URL is not empty/)
      assert.deepEqual(await withDatabase(sourceUrl, fingerprint), sourcePrint)
    })

    it('refuses cut-short or altered backups and leaves the target database empty', async () => {
      const bytes = fs.readFileSync(backupFile)
      const at = tarOffset(bytes, 'database.dump')
      const targetUrl = await newDatabase()
      for (const [name, change, message] of [
        ['cut.tar', (b: Buffer) => b.subarray(0, b.length - 2000), /incomplete/],
        ['altered.tar', (b: Buffer) => Buffer.from(b.map((x, i) => (i === at + 200 ? x ^ 0x20 : x))), /database\.dump does not match its checksum/],
      ] as const) {
        const file = alteredCopy(backupFile, path.join(dir, name), change)
        const refused = await runCli(['restore', file], envFor(targetUrl))
        assert.equal(refused.code, 1, name)
        assert.match(refused.stderr, message, name)
        assert.equal(await withDatabase(targetUrl, countUserObjects), 0, `${name}: nothing restored`)
      }
    })

    it('says how to get pg_dump when it is missing', async () => {
      const missing = await runCli(['backup', '--output', path.join(dir, 'never.tar')], envFor(sourceUrl, { PATH: path.join(dir, 'empty-bin') }))
      assert.equal(missing.code, 1)
      assert.match(missing.stderr, /pg_dump was not found\. Install the PostgreSQL client tools .*apt-get install postgresql-client/)
      assert.ok(!fs.existsSync(path.join(dir, 'never.tar')))
    })
  })
}
