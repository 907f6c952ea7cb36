import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { BackupManifest } from '../domain/backup.js'
import { TEST_CHAIN_KEY, TEST_KEYRING } from '../../test/helpers/app.js'
import { TestClock } from '../../test/helpers/clock.js'
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js'
import { Factories } from '../../test/helpers/factories.js'
import { verifyAuditChains } from './audit-verify.js'
import { recordBackup } from './backup-audit.js'

const manifest: BackupManifest = {
  format: 'kestrel-backup',
  formatVersion: 1,
  engine: 'pglite',
  createdAt: '2026-03-09T02:00:00.000Z',
  kestrelVersion: '0.0.0',
  migrationLevel: '0010_keyed_audit_chain',
  migrations: ['0010_keyed_audit_chain'],
  databaseVersion: 'PostgreSQL',
  payload: { name: 'pgdata.tar.gz', bytes: 3, sha256: 'a'.repeat(64), compression: 'gzip' },
  extras: [],
}

describe('recording a backup in the audit trail', () => {
  let database: TestDatabase
  let factories: Factories
  let dir: string

  before(async () => {
    database = await createTestDatabase()
    factories = new Factories(database.db, new TestClock('2026-03-09T10:00:00Z'))
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-backup-audit-'))
  })
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true })
    await database.close()
  })

  const backupRows = () => database.db.selectFrom('audit_event').select(['organisation_id', 'action']).where('action', '=', 'backup.create').execute()

  it('writes one row to every organisation’s chain, sealed like any other', async () => {
    const councils = [await factories.organisation('First Council'), await factories.organisation('Second Council')]
    const file = path.join(dir, 'kestrel-backup.tar')
    fs.writeFileSync(file, 'a backup')
    await recordBackup(database, TEST_CHAIN_KEY, file, manifest, 'nightly', new Date('2026-03-09T02:00:00Z'))
    assert.deepEqual(new Set((await backupRows()).map((r) => r.organisation_id)), new Set(councils.map((c) => c.id)))
    assert.ok((await verifyAuditChains(database.db, TEST_KEYRING)).every((r) => r.ok))
    assert.ok(fs.existsSync(file))
  })

  it('deletes the backup, and records it nowhere, when it cannot be recorded everywhere', async () => {
    const before = (await backupRows()).length
    const broken = await factories.organisation('Council Without A Chain')
    await database.owner.deleteFrom('audit_chain_head').where('organisation_id', '=', broken.id).execute()
    const file = path.join(dir, 'unrecorded.tar')
    fs.writeFileSync(file, 'a backup')
    await assert.rejects(recordBackup(database, TEST_CHAIN_KEY, file, manifest, 'command', new Date('2026-03-10T02:00:00Z')), /no audit chain/)
    assert.equal(fs.existsSync(file), false, 'a copy of everything the trail does not know about is removed')
    assert.equal((await backupRows()).length, before, 'no organisation records half of it')
  })
})
