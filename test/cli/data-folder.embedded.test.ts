import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openDatabase } from '../../src/db/connect.js'
import { TestClient, toParams } from '../helpers/client.js'
import { cliEnv, PRODUCTION_ENV, runCli, startCliServer, tempDataDir, type RunningCliServer } from './cli-process.js'

/** Waits until the child has printed something matching the pattern. */
function waitForOutput(server: RunningCliServer, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let seen = ''
    const listener = (chunk: Buffer) => {
      seen += chunk.toString()
      if (pattern.test(seen)) {
        server.child.stdout!.off('data', listener)
        resolve()
      }
    }
    server.child.stdout!.on('data', listener)
  })
}

/** Every file under a folder with its size and modification time: proof that nothing was touched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else {
        const stat = fs.statSync(full)
        out[path.relative(dir, full)] = `${stat.size}:${stat.mtimeMs}`
      }
    }
  }
  walk(dir)
  return out
}

describe('the embedded data folder: one process at a time, never re-initialised, clean shutdown', () => {
  const folders: string[] = []
  let dataDir: string

  before(() => {
    dataDir = tempDataDir('folder')
    folders.push(dataDir)
  })
  after(() => {
    for (const f of folders) fs.rmSync(f, { recursive: true, force: true })
  })

  it('refuses a second process on a folder a running server holds, naming the holder', async () => {
    const server = await startCliServer(['serve'], cliEnv(dataDir))
    try {
      const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'kestrel.lock'), 'utf8')) as { pid: number; purpose: string }
      assert.equal(lock.pid, server.child.pid)
      for (const args of [['migrate'], ['serve'], ['audit', 'verify'], ['create-admin', '--email', 'x@y.example', '--name', 'X Y', '--organisation', 'X']]) {
        const second = await runCli(args, cliEnv(dataDir, { KESTREL_ADMIN_PASSWORD: 'long enough password' }))
        assert.equal(second.code, 1, args.join(' '))
        assert.match(second.stderr, new RegExp(`The data folder .* is in use by process ${server.child.pid} \\(server, since .*\\)\\. Only one Kestrel process may use an embedded data folder at a time`), args.join(' '))
        assert.doesNotMatch(second.stderr, /\n\s+at /, 'a message, not a stack trace')
      }
      assert.equal((await fetch(`${server.url}/health`)).status, 200, 'the running server is unharmed')
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
  })

  it('stops cleanly on SIGTERM, finishing a request still being sent, then releases the folder', async () => {
    const server = await startCliServer(['serve'], cliEnv(dataDir))
    const client = new TestClient(server.url)
    await client.get('/sign-in')
    const body = toParams({ _csrf: client.lastCsrfToken!, email: 'nobody@council.example', password: 'not a real password' }).toString()
    const half = Math.floor(body.length / 2)

    // Start a sign-in whose body is only half sent…
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(`${server.url}/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), cookie: client.cookieHeader() } }, (response) => {
        let text = ''
        response.on('data', (d) => (text += d))
        response.on('end', () => resolve({ status: response.statusCode!, text }))
      })
      request.on('error', reject)
      request.write(body.slice(0, half))
      // …ask the server to stop, and send the rest only once it has begun shutting down.
      waitForOutput(server, /Shutting down/).then(() => request.end(body.slice(half)))
    })
    await new Promise((r) => setTimeout(r, 200)) // let the first half arrive before the signal
    server.child.kill('SIGTERM')

    const response = await answer
    assert.equal(response.status, 400, 'the in-flight request got its full answer')
    assert.match(response.text, /Enter a correct email address and password/)
    const result = await server.exited
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Stopped cleanly/)
    assert.equal(fs.existsSync(path.join(dataDir, 'kestrel.lock')), false, 'the lock is released')

    // The folder opens again, and the session the sign-in page started was kept in the database.
    const database = await openDatabase({ kind: 'pglite', dataDir }, 'test')
    try {
      const sessions = await database.db.selectFrom('http_session').select('sid').execute()
      assert.ok(sessions.length >= 1, 'sessions live in the embedded database too')
    } finally {
      await database.close()
    }
  })

  it('stops cleanly on SIGINT (Ctrl+C) too', async () => {
    const server = await startCliServer(['serve'], cliEnv(dataDir))
    assert.equal((await fetch(`${server.url}/ready`)).status, 200)
    server.child.kill('SIGINT')
    const result = await server.exited
    assert.equal(result.code, 0, result.stderr)
    assert.equal(fs.existsSync(path.join(dataDir, 'kestrel.lock')), false)
    assert.equal((await runCli(['migrate'], cliEnv(dataDir))).code, 0, 'the folder reopens')
  })

  it('takes over a lock left by a process that no longer exists', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    const deadPid = Number(dead.stdout)
    assert.ok(deadPid > 0)
    fs.writeFileSync(path.join(dataDir, 'kestrel.lock'), JSON.stringify({ pid: deadPid, hostname: (await import('node:os')).hostname(), startedAt: '2026-01-01T00:00:00.000Z', purpose: 'server' }))
    const result = await runCli(['migrate'], cliEnv(dataDir))
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Migrations are up to date\./)
    assert.equal(fs.existsSync(path.join(dataDir, 'kestrel.lock')), false, 'and releases it when done')
  })

  describe('refuses an incomplete or damaged folder with advice, and never initialises over it', () => {
    it('a marker without its database', async () => {
      const dir = tempDataDir('marker-only')
      folders.push(dir)
      fs.writeFileSync(path.join(dir, 'kestrel-data.json'), JSON.stringify({ createdAt: '2026-01-01T00:00:00Z', engine: 'pglite' }))
      const before = snapshot(dir)
      const result = await runCli(['serve'], cliEnv(dir))
      assert.equal(result.code, 1)
      assert.match(result.stderr, /is missing its database \(pgdata\)\. Restore it from a backup/)
      assert.deepEqual(snapshot(dir), before, 'nothing was created')
    })

    it('a database without the marker', async () => {
      const dir = tempDataDir('pgdata-only')
      folders.push(dir)
      fs.mkdirSync(path.join(dir, 'pgdata'))
      fs.writeFileSync(path.join(dir, 'pgdata', 'PG_VERSION'), '17\n')
      const before = snapshot(dir)
      const result = await runCli(['migrate'], cliEnv(dir))
      assert.equal(result.code, 1)
      assert.match(result.stderr, /holds an unfinished or foreign database \(no kestrel-data\.json\)\. Move it aside or restore a backup/)
      assert.deepEqual(snapshot(dir), before)
    })

    it('a database missing its control file', async () => {
      const dir = tempDataDir('damaged')
      folders.push(dir)
      fs.cpSync(dataDir, dir, { recursive: true })
      fs.rmSync(path.join(dir, 'pgdata', 'global', 'pg_control'))
      const before = snapshot(dir)
      const result = await runCli(['create-admin', '--email', 'a@b.example', '--name', 'A B'], cliEnv(dir, { KESTREL_ADMIN_PASSWORD: 'long enough password' }))
      assert.equal(result.code, 1)
      assert.match(result.stderr, /is damaged \(global\/pg_control is missing\)\. Restore it from a backup/)
      assert.deepEqual(snapshot(dir), before, 'the damaged database was left exactly as it was')
      assert.equal(fs.existsSync(path.join(dir, 'kestrel.lock')), false)
    })
  })

  it('refuses to serve in production without a session secret', async () => {
    const { SESSION_SECRET: _, ...withoutSecret } = PRODUCTION_ENV
    const result = await runCli(['serve'], cliEnv(dataDir, { ...withoutSecret, SESSION_SECRET: undefined }))
    assert.equal(result.code, 1)
    assert.match(result.stderr, /SESSION_SECRET must be set \(at least 32 characters\) when NODE_ENV=production/)
    const short = await runCli(['serve'], cliEnv(dataDir, { ...PRODUCTION_ENV, SESSION_SECRET: 'too short' }))
    assert.equal(short.code, 1)
    assert.match(short.stderr, /SESSION_SECRET must be at least 32 characters/)
  })
})
