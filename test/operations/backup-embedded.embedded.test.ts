import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { readArchive } from '../../src/backup/archive.js'
import { CHANNEL_FILE } from '../../src/backup/channel.js'
import { restoreCommand } from '../../src/backup/restore.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase, type Database } from '../../src/db/connect.js'
import { acquireDataDirLock } from '../../src/db/data-dir-lock.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { nightlyBackupJob } from '../../src/jobs/nightly-backup.js'
import { createLogger } from '../../src/logger.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { chainKeyring } from '../../src/services/audit-keys.js'
import { verifyAuditChains } from '../../src/services/audit-verify.js'
import { readOrCreateFolderKey } from '../../src/services/encryption-key.js'
import { cliEnv, runCli, tempDataDir } from '../cli/cli-process.js'
import { TestClock } from '../helpers/clock.js'
import { Factories } from '../helpers/factories.js'
import { alteredCopy, backupAuditRows, fingerprint, populate, tarOffset } from './backup-fixtures.js'

async function openFolder(dataDir: string): Promise<Database> {
  return openDatabase({ kind: 'pglite', dataDir }, 'test')
}

async function withFolder<T>(dataDir: string, read: (db: Database['db']) => Promise<T>): Promise<T> {
  const database = await openFolder(dataDir)
  try {
    return await read(database.db)
  } finally {
    await database.close()
  }
}

async function folderFingerprint(dataDir: string) {
  const database = await openFolder(dataDir)
  try {
    return await fingerprint(database.db)
  } finally {
    await database.close()
  }
}

function embeddedConfig(dataDir: string, extra: Record<string, string> = {}) {
  return loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', KESTREL_DATA_DIR: dataDir, ...extra })
}

/** Every file in a folder with its size and modification time. */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else out[path.relative(dir, full)] = `${fs.statSync(full).size}:${fs.statSync(full).mtimeMs}`
    }
  }
  walk(dir)
  return out
}

describe('backup and restore of the embedded database', () => {
  const temp: string[] = []
  const scratch = (label: string) => {
    const dir = tempDataDir(label)
    temp.push(dir)
    return dir
  }
  let source: string
  let backups: string
  let backupFile: string
  let sourcePrint: Record<string, string>

  before(async () => {
    source = scratch('backup-source')
    backups = scratch('backup-files')
    const database = await openFolder(source)
    await migrateToLatest(database.db)
    await populate(database.db, source)
    sourcePrint = await fingerprint(database.db)
    await database.close()
  })
  after(() => {
    for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('with the server stopped: `kestrel backup` writes a checked, compressed, private backup and `kestrel restore` brings back the same data with a verified audit trail', async () => {
    backupFile = path.join(backups, 'stopped.tar')
    const made = await runCli(['backup', '--output', backupFile], cliEnv(source))
    assert.equal(made.code, 0, made.stderr)
    assert.match(made.stdout, /Backup written to .*stopped\.tar .*made through the data folder/)
    assert.equal(fs.statSync(backupFile).mode & 0o777, 0o600, 'only the owner can read a backup')
    assert.ok(!fs.existsSync(`${backupFile}.partial`))

    const { manifest, entries } = await readArchive(backupFile)
    assert.equal(manifest.engine, 'pglite')
    assert.equal(manifest.formatVersion, 1)
    assert.equal(manifest.migrationLevel, manifest.migrations.at(-1))
    assert.ok(manifest.migrations.includes('0006_security'))
    assert.match(manifest.payload.sha256, /^[0-9a-f]{64}$/)
    assert.deepEqual([...entries.keys()], ['manifest.json', 'pgdata.tar.gz', 'kestrel-encryption.key', 'SHA256SUMS'], 'the folder key travels with it')
    const payloadStart = tarOffset(fs.readFileSync(backupFile), 'pgdata.tar.gz')
    assert.deepEqual([...fs.readFileSync(backupFile).subarray(payloadStart, payloadStart + 2)], [0x1f, 0x8b], 'the database is gzip-compressed')

    const target = path.join(scratch('restore-target'), 'data')
    const restored = await runCli(['restore', backupFile], cliEnv(target))
    assert.equal(restored.code, 0, restored.stderr)
    assert.match(restored.stdout, /every checksum matches/)
    assert.match(restored.stdout, /Audit chain of organisation [0-9a-f-]{36}: \d+ audit rows?, chain intact\./)
    assert.equal(restored.stdout.match(/intact\./g)?.length, 2, 'both organisations verified')
    assert.match(restored.stdout, /Restore complete\./)
    assert.deepEqual(await folderFingerprint(target), sourcePrint, 'every table holds exactly what it held')

    const verified = await runCli(['audit', 'verify'], cliEnv(target))
    assert.equal(verified.code, 0)

    // Each organisation's trail says a backup was made, of which file, and, in the copy, that it was restored.
    const sha = manifest.payload.sha256
    const recorded = await withFolder(source, backupAuditRows)
    assert.deepEqual(recorded.map((r) => [r.action, r.actor_user_id, r.details]), [0, 1].map(() => ['backup.create', null, { via: 'command', file: 'stopped.tar', bytes: fs.statSync(backupFile).size, engine: 'pglite', migration_level: manifest.migrationLevel, payload_sha256: sha }]))
    assert.equal(new Set(recorded.map((r) => r.organisation_id)).size, 2)
    const restoredRows = await withFolder(target, backupAuditRows)
    assert.deepEqual(restoredRows.map((r) => [r.action, r.details]), [0, 1].map(() => ['backup.restore', { backup_created_at: manifest.createdAt, engine: 'pglite', migration_level: manifest.migrationLevel, payload_sha256: sha, chains_intact: true }]))
  })

  it('refuses to restore over a folder that is not empty, and touches nothing in it', async () => {
    const before = listing(source)
    const refused = await runCli(['restore', backupFile], cliEnv(source))
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /The data folder .* is not empty\. Kestrel restores only into a new, empty folder/)
    assert.deepEqual(listing(source), before)
  })

  it('refuses a cut-short, altered, damaged or foreign file with a clear message and restores nothing', async () => {
    const bytes = fs.readFileSync(backupFile)
    const payloadAt = tarOffset(bytes, 'pgdata.tar.gz')
    const variants: [string, (b: Buffer) => Buffer, RegExp][] = [
      ['truncated-end.tar', (b) => b.subarray(0, b.length - 700), /incomplete/],
      ['truncated-middle.tar', (b) => b.subarray(0, Math.floor(b.length / 2)), /incomplete/],
      ['one-byte-changed.tar', (b) => Buffer.from(b.map((x, i) => (i === payloadAt + 1000 ? x ^ 0x01 : x))), /pgdata\.tar\.gz does not match its checksum \(the file is damaged or was altered\)/],
      ['manifest-edited.tar', (b) => Buffer.from(b.toString('latin1').replace('"engine": "pglite"', '"engine": "PGLITE"'), 'latin1'), /damaged|altered/],
      ['header-damaged.tar', (b) => Buffer.from(b.map((x, i) => (i === 5 ? x ^ 0xff : x))), /an archive header is damaged/],
      ['not-a-backup.tar', () => Buffer.from('just some text that is not a backup at all\n'.repeat(40)), /cannot be used/],
    ]
    for (const [name, change, message] of variants) {
      const file = alteredCopy(backupFile, path.join(backups, name), change)
      const target = path.join(scratch('refused'), 'data')
      await assert.rejects(restoreCommand(embeddedConfig(target), file), (error: Error) => {
        assert.match(error.message, message, name)
        assert.match(error.message, /Nothing was restored/, name)
        return true
      })
      assert.ok(!fs.existsSync(target) || fs.readdirSync(target).length === 0, `${name}: nothing written`)
    }
    // And through the command line: a plain message and exit code 1, no stack trace.
    const cli = await runCli(['restore', path.join(backups, 'one-byte-changed.tar')], cliEnv(path.join(scratch('refused-cli'), 'data')))
    assert.equal(cli.code, 1)
    assert.match(cli.stderr, /^The backup .* cannot be used: .*Use another copy of the backup\.\n$/)
  })

  describe('with the server running', () => {
    let dataDir: string
    let running: RunningServer
    /** The server's log lines, so a test can wait for "the channel has the request". */
    const logWaiters: { pattern: RegExp; resolve: () => void }[] = []
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const line = chunk.toString()
        for (const w of logWaiters.filter((w) => w.pattern.test(line))) w.resolve()
        done()
      },
    })
    const logged = (pattern: RegExp) => new Promise<void>((resolve) => logWaiters.push({ pattern, resolve }))

    before(async () => {
      dataDir = scratch('live')
      const database = await openFolder(dataDir)
      await migrateToLatest(database.db)
      await populate(database.db, dataDir)
      await database.close()
      running = await startServer(embeddedConfig(dataDir), { logger: pino({ level: 'info' }, logStream), clock: new TestClock('2026-03-09T12:00:00Z') })
    })
    after(() => running?.stop())

    it('backs up through the running server while people keep working, and the copy is consistent', async () => {
      const db = running.deps.database.db
      const factories = new Factories(db, new TestClock('2026-03-09T12:00:00Z'))
      const org = await factories.organisation('Busy Council')
      const referrer = await factories.user(org)
      const file = path.join(backups, 'live.tar')

      let backupDone = false
      const backup = runCli(['backup', '--output', file], cliEnv(dataDir)).finally(() => (backupDone = true))
      let writes = 0
      while (!backupDone) {
        await factories.concern(referrer)
        writes++
        // In-process PGlite resolves without touching the event loop: let the server's sockets in, as real requests would.
        await new Promise((resolve) => setImmediate(resolve))
      }
      const made = await backup
      assert.equal(made.code, 0, made.stderr)
      assert.match(made.stdout, /made through the running server/)
      assert.ok(writes > 0)

      const { manifest } = await readArchive(file)
      assert.deepEqual(manifest.extras.map((e) => e.name), ['kestrel-encryption.key'], 'the demo-style folder key travels with the folder')
      const recorded = await backupAuditRows(running.deps.database.db)
      const organisations = await running.deps.database.db.selectFrom('organisation').select('id').execute()
      assert.deepEqual(new Set(recorded.map((r) => r.organisation_id)), new Set(organisations.map((o) => o.id)))
      assert.deepEqual(recorded.map((r) => [r.action, (r.details as { via: string }).via, (r.details as { payload_sha256: string }).payload_sha256]), organisations.map(() => ['backup.create', 'running server', manifest.payload.sha256]), 'recorded by the server that made it, once per organisation')

      const target = path.join(scratch('live-restore'), 'data')
      const restored = await runCli(['restore', file], cliEnv(target))
      assert.equal(restored.code, 0, restored.stderr)
      assert.doesNotMatch(restored.stdout, /BROKEN/)
      assert.deepEqual(fs.readFileSync(path.join(target, 'kestrel-encryption.key')), fs.readFileSync(path.join(dataDir, 'kestrel-encryption.key')))
      assert.equal(fs.statSync(path.join(target, 'kestrel-encryption.key')).mode & 0o777, 0o600)

      // Consistent: every concern in the copy has its audit row, and the chains verify.
      const copy = await openFolder(target)
      try {
        const orphans = await copy.db
          .selectFrom('concern as c')
          .leftJoin('audit_event as a', (j) => j.onRef('a.organisation_id', '=', 'c.organisation_id').onRef('a.record_id', '=', 'c.id').on('a.action', '=', 'concern.create'))
          .select('c.id')
          .where('a.id', 'is', null)
          .execute()
        assert.deepEqual(orphans, [])
        // Sealed with the folder's own key, which travelled with the backup.
        const keys = chainKeyring({ current: readOrCreateFolderKey(target), previous: [] })
        assert.ok((await verifyAuditChains(copy.db, keys)).every((r) => r.ok && r.rows > 0 && r.unkeyedRows === 0))
      } finally {
        await copy.close()
      }
    })

    it('answers only the holder of the token, on loopback', async () => {
      const channel = JSON.parse(fs.readFileSync(path.join(dataDir, CHANNEL_FILE), 'utf8')) as { port: number; token: string }
      assert.equal(fs.statSync(path.join(dataDir, CHANNEL_FILE)).mode & 0o777, 0o600)
      const wrong = await fetch(`http://127.0.0.1:${channel.port}/backup`, { method: 'POST', headers: { authorization: 'Bearer not-the-token' } })
      assert.equal(wrong.status, 403)
      const none = await fetch(`http://127.0.0.1:${channel.port}/backup`, { method: 'POST' })
      assert.equal(none.status, 403)
      const get = await fetch(`http://127.0.0.1:${channel.port}/backup`, { headers: { authorization: `Bearer ${channel.token}` } })
      assert.equal(get.status, 404)
      // The public port knows nothing of it.
      assert.equal((await fetch(`${running.url}/backup`, { method: 'POST' })).status === 200, false)
    })

    it('finishes sending a backup before it shuts down, then removes its channel and lock', async () => {
      const channel = JSON.parse(fs.readFileSync(path.join(dataDir, CHANNEL_FILE), 'utf8')) as { port: number; token: string }
      const requested = logged(/Backup requested through the backup channel/)
      const response = fetch(`http://127.0.0.1:${channel.port}/backup`, { method: 'POST', headers: { authorization: `Bearer ${channel.token}` } }).then(async (r) => ({ status: r.status, body: Buffer.from(await r.arrayBuffer()) }))
      // Stop while the channel is making the backup.
      await requested
      const stopped = running.stop()
      const { status, body } = await response
      await stopped
      assert.equal(status, 200)
      const file = path.join(backups, 'during-shutdown.tar')
      fs.writeFileSync(file, body)
      assert.equal((await readArchive(file)).manifest.engine, 'pglite', 'a complete, valid backup')
      assert.ok(!fs.existsSync(path.join(dataDir, CHANNEL_FILE)))
      assert.ok(!fs.existsSync(path.join(dataDir, 'kestrel.lock')))
    })
  })

  it('explains when the folder is held by a process that offers no backup channel, or when there is no folder', async () => {
    const dataDir = scratch('held')
    const database = await openFolder(dataDir)
    await migrateToLatest(database.db)
    await database.close()
    const release = acquireDataDirLock(dataDir, 'another tool')
    try {
      const refused = await runCli(['backup', '--output', path.join(backups, 'held.tar')], cliEnv(dataDir))
      assert.equal(refused.code, 1)
      assert.match(refused.stderr, /is in use, but the process using it offers no backup channel/)
    } finally {
      release()
    }
    const nothing = await runCli(['backup', '--output', path.join(backups, 'nothing.tar')], cliEnv(path.join(dataDir, 'no-such-folder')))
    assert.equal(nothing.code, 1)
    assert.match(nothing.stderr, /There is no Kestrel data folder at .*: nothing to back up/)
    assert.ok(!fs.existsSync(path.join(backups, 'nothing.tar')))
  })

  it('the nightly job writes dated backups and keeps only the newest few', async () => {
    const dataDir = scratch('nightly')
    const dir = path.join(scratch('nightly-backups'), 'kept')
    const database = await openFolder(dataDir)
    try {
      await migrateToLatest(database.db)
      await populate(database.db, dataDir)
      const config = { ...embeddedConfig(dataDir), backup: { dir, keep: 2, nightly: true } }
      const job = nightlyBackupJob(database)
      assert.deepEqual(job.schedule, { kind: 'daily', at: '02:00' })
      for (const night of ['2026-03-09T02:00:00Z', '2026-03-10T02:00:00Z', '2026-03-11T02:00:00Z']) {
        const now = new Date(night)
        await job.run({ db: database.db, config, logger: createLogger('silent'), now: () => now, scheduledFor: now })
      }
      assert.deepEqual((await backupAuditRows(database.db)).map((r) => [r.action, (r.details as { via: string }).via]), Array(6).fill(['backup.create', 'nightly']), 'three nights, two organisations')
      fs.writeFileSync(path.join(dir, 'operator-notes.txt'), 'not a backup: never pruned')
      assert.deepEqual(fs.readdirSync(dir).sort(), ['kestrel-backup-20260310T020000Z.tar', 'kestrel-backup-20260311T020000Z.tar', 'operator-notes.txt'])
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.tar'))) assert.equal((await readArchive(path.join(dir, name))).manifest.engine, 'pglite')
    } finally {
      await database.close()
    }
    // The same from the command line (cron, or a PostgreSQL installation): --keep prunes too.
    const cli = await runCli(['backup', '--keep', '1'], cliEnv(dataDir, { KESTREL_BACKUP_DIR: dir }))
    assert.equal(cli.code, 0, cli.stderr)
    assert.match(cli.stdout, /Deleted 2 older backups, keeping the newest 1\./)
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.tar')).length, 1)
  })

  it('is scheduled, with the nightly planner statistics, by a server that runs jobs on an embedded folder', async () => {
    const dataDir = scratch('scheduled')
    const server = await startServer(embeddedConfig(dataDir, { KESTREL_BACKUP_DIR: path.join(dataDir, '..', 'scheduled-backups') }), {
      logger: createLogger('silent'),
      jobs: [{ name: 'test-noop', schedule: { kind: 'every', seconds: 3600 }, run: async () => {} }],
    })
    try {
      let names: string[] = []
      const both = () => names.includes('nightly-backup') && names.includes('planner-statistics')
      for (let i = 0; i < 100 && !both(); i++) {
        names = (await server.deps.database.db.selectFrom('scheduled_job').select('name').execute()).map((r) => r.name)
        if (!both()) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert.ok(both(), `the nightly backup and the planner statistics (no autovacuum here); scheduled jobs: ${names.join(', ')}`)
    } finally {
      await server.stop()
    }
  })
})
