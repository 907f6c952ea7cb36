import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openDatabase } from '../../src/db/connect.js'
import { DataDirLockedError } from '../../src/db/data-dir-lock.js'
import { projectRoot } from '../../src/project-root.js'
import { verifyAuditChains } from '../../src/services/audit-verify.js'
import { TEST_ENCRYPTION_KEY, TEST_KEYRING } from '../helpers/app.js'
import { bundleEntry } from '../helpers/server-bundle.js'
import { completeConcernForm } from '../helpers/concern-form.js'
import { TestClient } from '../helpers/client.js'
import { formsOn } from '../security/support/page-forms.js'

const ROUNDS = Number(process.env.DURABILITY_ROUNDS ?? 20)
const WRITERS = 3

interface Child {
  process: ChildProcess
  url: string
  email: string
  password: string
  startMs: number
  /** From spawning the process to its "listening" line, as the operator would wait. */
  readyMs: number
}

let serverScript: string

/** Starts the server as a child process on the folder and waits until it listens. */
async function startChild(dataDir: string): Promise<Child> {
  const spawnedAt = performance.now()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    KESTREL_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'durability-test-session-secret-long-enough',
    KESTREL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    KESTREL_NIGHTLY_BACKUP: 'off',
  }
  delete env.DATABASE_URL
  delete env.NODE_TEST_CONTEXT
  const child = spawn(process.execPath, [serverScript], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (d) => (err += d))
    child.stdout!.on('data', (d) => {
      out += d
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) resolve({ process: child, ...(JSON.parse(line) as Omit<Child, 'process' | 'readyMs'>), readyMs: Math.round(performance.now() - spawnedAt) })
    })
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready: ${err}`)))
  })
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

/** A deterministic stream of numbers in [0, 1) (so a failing round can be replayed). */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/**
 * Durability of the embedded database: the server is killed with SIGKILL at random moments while
 * people are sending concerns, twenty times over. Every concern Kestrel acknowledged (the
 * confirmation page's address, recorded here, outside the database) must be there afterwards,
 * and no transaction may be half applied: each concern with its audit row and chronology entry,
 * the audit chain intact, references never reused. A second process on the folder is refused.
 */
describe('durability: kill -9 during a stream of acknowledged writes', () => {
  let dataDir: string
  const acknowledged = new Map<string, string>() // concern id → submission key
  const restarts: { round: number; readyMs: number; startMs: number; acked: number; failed: number; killedAfterMs: number }[] = []

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-durability-'))
    serverScript = await bundleEntry('test/reliability/support/durable-server.ts', 'durable-server')
  })
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }))

  /**
   * People sending concerns. Each signs in once; their session lives in the database, so it
   * carries on across restarts (the cookie and its CSRF token are handed to the next server).
   */
  interface Person {
    cookie?: string
    token?: string
    answers?: Record<string, string | string[]>
  }
  const people: Person[] = Array.from({ length: WRITERS }, () => ({}))

  async function writer(child: Child, person: Person, round: { stop: boolean; firstAck?: () => void }, tally: { acked: number; failed: number }): Promise<void> {
    const client = new TestClient(child.url)
    try {
      if (!person.cookie) {
        await client.get('/sign-in')
        const signedIn = await client.post('/sign-in', { email: child.email, password: child.password })
        if (signedIn.status !== 303) throw new Error(`sign-in ${signedIn.status}`)
        const form = formsOn(await client.get('/concerns/new')).find((f) => f.action === '/concerns/new')!
        const serviceIds = form.controls.filter((c) => c.name === 'serviceId').flatMap((c) => (c.kind === 'select' ? c.options : [c.value])).filter((v) => /^[0-9a-f-]{36}$/.test(v))
        person.answers = completeConcernForm({ id: '', name: '', services: serviceIds.map((id) => ({ id, name: '' })) })
        person.cookie = client.sessionCookie
        person.token = client.lastCsrfToken
      } else {
        client.setCookie('kestrel', person.cookie)
        client.lastCsrfToken = person.token
      }
      while (!round.stop) {
        const posted = await client.post('/concerns/new', person.answers!)
        if (posted.status !== 303) throw new Error(`form ${posted.status} ${posted.location}`)
        const check = await client.get('/concerns/new/check')
        const key = check.$('input[name="submissionKey"]').attr('value')!
        const sent = await client.post('/concerns/new/check', { submissionKey: key })
        // The acknowledgement: the answer that sends the person to the concern's confirmation.
        const match = /^\/concerns\/([0-9a-f-]{36})\/confirmation$/.exec(sent.location ?? '')
        if (sent.status === 303 && match) {
          acknowledged.set(match[1]!, key)
          tally.acked++
          round.firstAck?.()
        }
      }
    } catch {
      tally.failed++ // the server died mid-request: nothing was acknowledged for it
    }
  }

  it(`loses no acknowledged concern and half-applies nothing over ${ROUNDS} kills`, async () => {
    const next = random(20260310)
    for (let round = 1; round <= ROUNDS; round++) {
      const child = await startChild(dataDir)
      if (round === 1) {
        // While it holds the folder, nothing else may open it.
        await assert.rejects(openDatabase({ kind: 'pglite', dataDir }, 'second process'), (e) => e instanceof DataDirLockedError && /in use by process/.test(e.message))
      }
      const state: { stop: boolean; firstAck?: () => void } = { stop: false }
      const writing = new Promise<void>((resolve) => (state.firstAck = resolve))
      const tally = { acked: 0, failed: 0 }
      const writers = people.map((person) => writer(child, person, state, tally))
      // Once writes are flowing, kill at a random moment within the next 400 ms.
      await Promise.race([writing, Promise.all(writers)])
      const killAfter = Math.round(next() * 400)
      await new Promise((r) => setTimeout(r, killAfter))
      await killed(child.process)
      state.stop = true
      await Promise.all(writers)
      restarts.push({ round, readyMs: child.readyMs, startMs: child.startMs, acked: tally.acked, failed: tally.failed, killedAfterMs: killAfter })
    }

    // One last clean start shows the folder opens; then check everything from outside.
    const last = await startChild(dataDir)
    await new Promise<void>((resolve) => {
      last.process.once('exit', () => resolve())
      last.process.kill('SIGTERM')
    })
    const database = await openDatabase({ kind: 'pglite', dataDir }, 'durability check')
    try {
      const db = database.db
      const concerns = await db.selectFrom('concern').select(['id', 'submission_key', 'reference']).execute()
      const byId = new Map(concerns.map((c) => [c.id, c]))
      const lost = [...acknowledged].filter(([id, key]) => byId.get(id)?.submission_key !== key)
      assert.deepEqual(lost, [], 'acknowledged concerns lost')

      // Every concern has exactly one creation audit row and one chronology entry, and the reverse.
      const created = await db.selectFrom('audit_event').select('record_id').where('action', '=', 'concern.create').execute()
      const auditCounts = new Map<string, number>()
      for (const r of created) auditCounts.set(r.record_id!, (auditCounts.get(r.record_id!) ?? 0) + 1)
      const entries = await db.selectFrom('chronology_entry').select('concern_id').where('category', '=', 'Concern received').execute()
      const entryCounts = new Map<string, number>()
      for (const e of entries) entryCounts.set(e.concern_id, (entryCounts.get(e.concern_id) ?? 0) + 1)
      const half = concerns.filter((c) => auditCounts.get(c.id) !== 1 || entryCounts.get(c.id) !== 1).map((c) => c.id)
      const orphans = [...auditCounts.keys()].filter((id) => !byId.has(id))
      assert.deepEqual(half, [], 'concerns without exactly one audit row and one chronology entry')
      assert.deepEqual(orphans, [], 'audit rows for concerns that do not exist')
      assert.equal(new Set(concerns.map((c) => c.reference)).size, concerns.length, 'no reference used twice')
      const chains = await verifyAuditChains(db, TEST_KEYRING)
      assert.ok(chains.every((c) => c.ok), `audit chains intact: ${JSON.stringify(chains.filter((c) => !c.ok))}`)

      const acked = restarts.reduce((n, r) => n + r.acked, 0)
      assert.ok(acked >= ROUNDS, `enough writes were acknowledged to mean something (${acked})`)
      for (const r of restarts) console.log(`durability round ${String(r.round).padStart(2)}: ready in ${r.readyMs} ms (server start ${r.startMs} ms), killed ${r.killedAfterMs} ms into the writes, ${r.acked} acknowledged, ${r.failed} writers cut off`)
      const ready = restarts.map((r) => r.readyMs).sort((a, b) => a - b)
      console.log(
        `durability: ${ROUNDS} kills, ${acknowledged.size} distinct concerns acknowledged (${acked} acknowledgements: a form sent again after a restart is acknowledged again as the same concern), ${concerns.length} stored (the rest were sent but cut off before the answer), 0 lost, 0 half-applied; restart median ${ready[Math.floor(ready.length / 2)]} ms, worst ${ready.at(-1)} ms`,
      )
    } finally {
      await database.close()
    }
  })
})
