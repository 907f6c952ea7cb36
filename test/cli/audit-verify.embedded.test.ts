import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/connect.js'
import { keyId, parseKey } from '../../src/services/secret-box.js'
import { DATA_FOLDER_KEY_FILE } from '../../src/services/encryption-key.js'
import { cliEnv, PRODUCTION_ENV, runCli, tempDataDir } from './cli-process.js'

describe('kestrel audit verify', () => {
  let dataDir: string

  before(async () => {
    dataDir = tempDataDir('audit-verify')
    const created = await runCli(['create-admin', '--email', 'alex@council.example', '--name', 'Alex Admin', '--organisation', 'Example District Council'], cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: 'a long admin password' }))
    assert.equal(created.code, 0, created.stderr)
    const second = await runCli(['create-admin', '--email', 'sam@council.example', '--name', 'Sam Second'], cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: 'a long admin password' }))
    assert.equal(second.code, 0, second.stderr)
  })
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }))

  it('exits 0 and says the chain is intact', async () => {
    const result = await runCli(['audit', 'verify'], cliEnv(dataDir))
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Organisation [0-9a-f-]{36}: 2 audit rows, chain intact\./)
  })

  it('names the key it lacks, and checks rows sealed before a rotation with the earlier key as a previous key', async () => {
    // Rows were sealed with the data folder's own key; a verifier given only another key cannot check them.
    const folderKey = fs.readFileSync(path.join(dataDir, DATA_FOLDER_KEY_FILE), 'utf8').trim()
    const folderKeyId = keyId(parseKey(folderKey, 'folder key'))
    const rotated = await runCli(['audit', 'verify'], cliEnv(dataDir, { KESTREL_ENCRYPTION_KEY: PRODUCTION_ENV.KESTREL_ENCRYPTION_KEY }))
    assert.equal(rotated.code, 1)
    assert.match(rotated.stdout, new RegExp(`BROKEN at row 1: was sealed with audit key ${folderKeyId}, which is not configured here`))

    const withPrevious = await runCli(['audit', 'verify'], cliEnv(dataDir, { KESTREL_ENCRYPTION_KEY: PRODUCTION_ENV.KESTREL_ENCRYPTION_KEY, KESTREL_ENCRYPTION_KEY_PREVIOUS: folderKey }))
    assert.equal(withPrevious.code, 0, withPrevious.stdout)
    assert.match(withPrevious.stdout, /2 audit rows, chain intact\./)
  })

  it('exits 1 and names the first broken row after a row is altered', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir }, 'test')
    try {
      await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(database.db)
      await sql`UPDATE audit_event SET details = '{"roles":["admin"],"via":"web"}'::jsonb WHERE seq = 1`.execute(database.db)
      await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(database.db)
    } finally {
      await database.close()
    }
    const result = await runCli(['audit', 'verify'], cliEnv(dataDir))
    assert.equal(result.code, 1)
    assert.match(result.stdout, /Organisation [0-9a-f-]{36}: BROKEN at row 1: content does not match its hash \(altered\)\./)
  })

  it('rejects an unknown sub-command with usage help', async () => {
    const result = await runCli(['audit', 'fix'], cliEnv(dataDir))
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Unknown command: audit fix/)
    assert.match(result.stderr, /audit verify/)
  })
})
