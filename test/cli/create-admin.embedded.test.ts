import assert from 'node:assert/strict'
import fs from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { openDatabase } from '../../src/db/connect.js'
import { DEFAULT_REFERRING_SERVICES } from '../../src/domain/reference-lists.js'
import { TestClient } from '../helpers/client.js'
import { cliEnv, PRODUCTION_ENV, runCli, startCliServer, tempDataDir } from './cli-process.js'

describe('kestrel create-admin on a new installation', () => {
  let dataDir: string
  const password = 'a long admin password for tests'

  before(() => {
    dataDir = tempDataDir('create-admin')
  })
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }))

  it('asks for the organisation name on an empty folder, and creates nothing without it', async () => {
    const result = await runCli(['create-admin', '--email', 'alex@council.example', '--name', 'Alex Admin'], cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: password }))
    assert.equal(result.code, 1)
    assert.match(result.stderr, /This is a new installation: give the organisation name with --organisation "Name of council"/)
    const database = await openDatabase({ kind: 'pglite', dataDir }, 'test')
    try {
      const orgs = await database.db.selectFrom('organisation').select('id').execute()
      assert.deepEqual(orgs, [])
    } finally {
      await database.close()
    }
  })

  it('refuses a short or easily guessed password and missing options with a clear message', async () => {
    const short = await runCli(['create-admin', '--email', 'alex@council.example', '--name', 'Alex Admin', '--organisation', 'Example District Council'], cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: 'short' }))
    assert.equal(short.code, 2)
    assert.match(short.stderr, /KESTREL_ADMIN_PASSWORD must be 12 characters or more/)
    const guessable = await runCli(['create-admin', '--email', 'alex@council.example', '--name', 'Alex Admin', '--organisation', 'Example District Council'], cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: 'passwordpassword' }))
    assert.equal(guessable.code, 2)
    assert.match(guessable.stderr, /KESTREL_ADMIN_PASSWORD is too easy to guess/)
    const missing = await runCli(['create-admin', '--email', 'alex@council.example'], cliEnv(dataDir))
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /Give --email and --name/)
  })

  it('creates the organisation with the ten default services and the administrator', async () => {
    const result = await runCli(
      ['create-admin', '--email', 'Alex@Council.example', '--name', 'Alex Admin', '--organisation', 'Example District Council'],
      cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: password }),
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Administrator Alex@Council\.example created for the new organisation "Example District Council"\./)
    assert.doesNotMatch(result.stdout, new RegExp(password), 'a password given in the environment is not echoed')

    const database = await openDatabase({ kind: 'pglite', dataDir }, 'test')
    try {
      const orgs = await database.db.selectFrom('organisation').select(['id', 'name']).execute()
      assert.deepEqual(
        orgs.map((o) => o.name),
        ['Example District Council'],
      )
      const services = await database.db.selectFrom('service').select('name').where('organisation_id', '=', orgs[0]!.id).orderBy('sort_order').execute()
      assert.deepEqual(
        services.map((s) => s.name),
        [...DEFAULT_REFERRING_SERVICES],
      )
      const admin = await database.db.selectFrom('app_user').select(['id', 'email', 'display_name', 'must_change_password']).executeTakeFirstOrThrow()
      assert.deepEqual({ ...admin, id: undefined }, { id: undefined, email: 'alex@council.example', display_name: 'Alex Admin', must_change_password: false })
      const roles = await database.db.selectFrom('user_role').select('role').where('user_id', '=', admin.id).execute()
      assert.deepEqual(roles, [{ role: 'admin' }])
      const audit = await database.db.selectFrom('audit_event').select(['action', 'record_id']).execute()
      assert.deepEqual(audit, [{ action: 'user.create', record_id: admin.id }])
    } finally {
      await database.close()
    }
  })

  it('refuses a second administrator with the same email address, clearly', async () => {
    const result = await runCli(['create-admin', '--email', 'ALEX@council.example', '--name', 'Alex Again'], cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: password }))
    assert.equal(result.code, 1)
    assert.match(result.stderr, /There is already an account for ALEX@council\.example/)
    assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'a message, not a stack trace')
  })

  it('adds a second administrator to the existing organisation with a generated password shown once', async () => {
    const result = await runCli(['create-admin', '--email', 'sam@council.example', '--name', 'Sam Second'], cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: undefined }))
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Administrator sam@council\.example created\./)
    const shown = /shown once[^:]*: (\S+)/.exec(result.stdout)
    assert.ok(shown, result.stdout)
    assert.match(shown[1]!, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
  })

  it('lets the administrator sign in to the production server', async () => {
    const server = await startCliServer(['serve'], cliEnv(dataDir, PRODUCTION_ENV))
    try {
      const client = new TestClient(server.url)
      const signInPage = await client.get('/sign-in')
      assert.equal(signInPage.status, 200)
      const signedIn = await client.post('/sign-in', { email: 'alex@council.example', password })
      assert.equal(signedIn.status, 303, signedIn.text.slice(0, 500))
      assert.notEqual(signedIn.location, '/sign-in')
      const landed = await client.follow(signedIn)
      assert.equal(landed.status, 200)
      assert.equal(landed.$('form[action="/sign-in"]').length, 0, 'signed in, not sent back to the sign-in form')
      assert.ok(landed.$('form[action="/sign-out"]').length > 0, 'the page offers sign out')

      const wrong = new TestClient(server.url)
      await wrong.get('/sign-in')
      assert.equal((await wrong.post('/sign-in', { email: 'alex@council.example', password: 'not it at all' })).status, 400)
    } finally {
      server.child.kill('SIGTERM')
      const result = await server.exited
      assert.equal(result.code, 0, result.stderr)
    }
  })
})
