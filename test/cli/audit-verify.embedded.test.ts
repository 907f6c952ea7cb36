import assert from 'node:assert/strict'
import fs from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/connect.js'
import { cliEnv, runCli, tempDataDir } from './cli-process.js'

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
