import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backupFileName, backupsToPrune, checkManifest, formatChecksums, parseChecksums, unknownMigrations, type BackupManifest } from './backup.js'

const manifest: BackupManifest = {
  format: 'kestrel-backup',
  formatVersion: 1,
  engine: 'pglite',
  createdAt: '2026-11-24T02:00:00.000Z',
  kestrelVersion: '0.1.0',
  migrationLevel: '0006_security',
  migrations: ['0001_foundation', '0006_security'],
  databaseVersion: 'PostgreSQL 17 (PGlite)',
  payload: { name: 'pgdata.tar.gz', bytes: 10, sha256: 'a'.repeat(64), compression: 'gzip' },
  extras: [],
}

describe('backup manifests', () => {
  it('accepts a complete manifest and refuses other files, damaged manifests and newer formats', () => {
    assert.deepEqual(checkManifest(manifest), { ok: true, manifest })
    assert.deepEqual(checkManifest({ hello: 'world' }), { ok: false, problem: 'it has no Kestrel backup manifest' })
    assert.deepEqual(checkManifest({ ...manifest, payload: { ...manifest.payload, sha256: 'short' } }), { ok: false, problem: 'its manifest is damaged' })
    const newer = checkManifest({ ...manifest, formatVersion: 2 })
    assert.equal(newer.ok, false)
    assert.match(!newer.ok ? newer.problem : '', /newer Kestrel/)
  })

  it('names migrations this build does not know', () => {
    assert.deepEqual(unknownMigrations(manifest, ['0001_foundation', '0006_security']), [])
    assert.deepEqual(unknownMigrations(manifest, ['0001_foundation']), ['0006_security'])
  })

  it('writes checksums sha256sum can check, and reads back only well-formed lists', () => {
    const text = formatChecksums([{ name: 'manifest.json', bytes: 1, sha256: 'b'.repeat(64) }, manifest.payload])
    assert.equal(text, `${'b'.repeat(64)}  manifest.json\n${'a'.repeat(64)}  pgdata.tar.gz\n`)
    assert.deepEqual([...parseChecksums(text)!], [['manifest.json', 'b'.repeat(64)], ['pgdata.tar.gz', 'a'.repeat(64)]])
    assert.equal(parseChecksums('not a checksum line\n'), undefined)
    assert.equal(parseChecksums(`${'a'.repeat(64)}  ../../etc/passwd\n`), undefined)
  })
})

describe('nightly retention', () => {
  it('names backups by UTC time and deletes only the oldest of its own files beyond the number kept', () => {
    assert.equal(backupFileName(new Date('2026-11-24T02:00:05.123Z')), 'kestrel-backup-20261124T020005Z.tar')
    const files = ['kestrel-backup-20261120T020000Z.tar', 'notes.txt', 'kestrel-backup-20261122T020000Z.tar', 'kestrel-backup-20261121T020000Z.tar', 'kestrel-backup-20261123T020000Z.tar.partial', 'kestrel-backup-20261123T020000Z.tar']
    assert.deepEqual(backupsToPrune(files, 2), ['kestrel-backup-20261121T020000Z.tar', 'kestrel-backup-20261120T020000Z.tar'])
    assert.deepEqual(backupsToPrune(files, 10), [])
    assert.deepEqual(backupsToPrune(files, 0), backupsToPrune(files, 1), 'never deletes the newest')
  })
})
