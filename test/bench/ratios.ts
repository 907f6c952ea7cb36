import type { Express } from 'express'
import { sql } from 'kysely'
import pg from 'pg'
import { loadConfig } from '../../src/config.js'
import type { Database } from '../../src/db/connect.js'
import { createLogger } from '../../src/logger.js'
import { countQueue, findVisibleConcern, listQueue } from '../../src/repositories/concern-repository.js'
import { appendAudit } from '../../src/repositories/audit-repository.js'
import { startServer } from '../../src/server.js'
import { TEST_CHAIN_KEY, TEST_ENCRYPTION_KEY } from '../helpers/app.js'
import { TestClock } from '../helpers/clock.js'
import { ExecutedStatements } from '../helpers/executed-statements.js'
import { TestClient } from '../helpers/client.js'
import { createTestDatabase } from '../helpers/database.js'
import { Factories, type TestUser } from '../helpers/factories.js'

/**
 * The in-process figures: SQL statements per list page at 5 and 50 rows (no N+1), our query
 * helper against the raw driver, PGlite against PostgreSQL on a small query suite, and how fast
 * the concern page's template renders from memory (for the page ÷ template ratio).
 */

export interface BenchApp {
  url: string
  database: Database
  counter: ExecutedStatements
  factories: Factories
  express: Express
  stop(): Promise<void>
}

/** The real app on an in-memory PGlite (or a fresh PostgreSQL database), counting its statements. */
export async function startCountingApp(engine: 'pglite' | 'postgres'): Promise<BenchApp> {
  const previous = process.env.TEST_DATABASE_URL
  if (engine === 'pglite') delete process.env.TEST_DATABASE_URL
  else process.env.TEST_DATABASE_URL = previous ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const database = await createTestDatabase()
  if (previous === undefined) delete process.env.TEST_DATABASE_URL
  else process.env.TEST_DATABASE_URL = previous
  const counter = new ExecutedStatements()
  const counted: Database = { ...database, db: database.db.withPlugin(counter) }
  const clock = new TestClock('2026-03-10T10:00:00Z')
  const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'bench-session-secret-that-is-long-enough', KESTREL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, SECURE_COOKIES: 'false', PORT: '0', LOG_LEVEL: 'silent' })
  const server = await startServer(config, { database: counted, clock, logger: createLogger('silent') })
  return {
    url: server.url,
    database,
    counter,
    factories: new Factories(database.db, clock),
    express: server.server.listeners('request')[0] as Express,
    stop: () => server.stop(),
  }
}

async function signedIn(app: BenchApp, user: TestUser): Promise<TestClient> {
  const client = new TestClient(app.url)
  await client.get('/sign-in')
  await client.post('/sign-in', { email: user.email, password: user.password })
  return client
}

export interface StatementCounts {
  page: string
  at5: number
  at50: number
}

/** Statements for each list page with 5 rows and with 50: the same number means no query per row. */
export async function statementCounts(): Promise<StatementCounts[]> {
  const app = await startCountingApp('pglite')
  try {
    const org = await app.factories.organisation()
    const worker = await app.factories.user(org, ['dso', 'safeguarding_manager', 'auditor'])
    const admin = await app.factories.user(org, ['admin'])
    const client = await signedIn(app, worker)
    const adminClient = await signedIn(app, admin)
    const pages: [string, TestClient][] = [
      ['/queue', client],
      ['/my-concerns', client],
      ['/cases', client],
      ['/admin/users', adminClient],
    ]
    const measure = async () => {
      const counts = new Map<string, number>()
      for (const [page, who] of pages) {
        await who.get(page) // warm
        app.counter.count = 0
        const response = await who.get(page)
        if (response.status !== 200) throw new Error(`${page} answered ${response.status}`)
        counts.set(page, app.counter.count)
      }
      return counts
    }
    for (let i = 0; i < 4; i++) await app.factories.concern(worker)
    for (let i = 0; i < 3; i++) await app.factories.user(org)
    const at5 = await measure()
    for (let i = 0; i < 46; i++) await app.factories.concern(worker)
    for (let i = 0; i < 47; i++) await app.factories.user(org)
    const at50 = await measure()
    return pages.map(([page]) => ({ page, at5: at5.get(page)!, at50: at50.get(page)! }))
  } finally {
    await app.stop()
  }
}

async function timePerCall(run: () => Promise<unknown>, seconds: number): Promise<number> {
  for (let i = 0; i < 20; i++) await run()
  let calls = 0
  const started = performance.now()
  while (performance.now() - started < seconds * 1000) {
    await run()
    calls++
  }
  return (performance.now() - started) / calls
}

export interface QueryFigures {
  engine: string
  query: string
  helperMs: number
  rawMs: number
}

/**
 * Each query of the suite through our helpers (Kysely over the pool) and as the same SQL straight
 * to the driver (PGlite's own query, or node-postgres), and the suite's times for the engine.
 */
export async function querySuite(engine: 'pglite' | 'postgres', seconds: number): Promise<QueryFigures[]> {
  const app = await startCountingApp(engine)
  let raw: { query(sql: string, params: readonly unknown[]): Promise<unknown>; close(): Promise<void> }
  try {
    const org = await app.factories.organisation()
    const worker = await app.factories.user(org, ['dso'])
    const ids: string[] = []
    for (let i = 0; i < 60; i++) ids.push((await app.factories.concern(worker)).id)
    const db = app.database.db
    if (engine === 'pglite') {
      const pglite = app.database.pglite!
      raw = { query: (text, params) => pglite.query(text, params as unknown[]), close: async () => {} }
    } else {
      const pool = new pg.Pool({ connectionString: await databaseUrlOf(app), max: 1 })
      raw = { query: (text, params) => pool.query(text, params as unknown[]), close: () => pool.end() }
    }
    // The helper's own SQL, captured as it runs, is what the raw driver is given.
    const compiledOf = async (run: (executor: typeof db) => Promise<unknown>) => {
      const capture = new ExecutedStatements()
      await run(db.withPlugin(capture))
      return db.getExecutor().compileQuery(capture.nodes[0]!, { queryId: '' } as never)
    }
    const find = await compiledOf((x) => findVisibleConcern(x, org.id, ids[7]!, worker.id))
    const list = await compiledOf((x) => listQueue(x, org.id, worker.id, 50, 0))
    const count = await compiledOf((x) => countQueue(x, org.id, worker.id))
    const suite: { query: string; helper: () => Promise<unknown>; raw?: () => Promise<unknown> }[] = [
      { query: 'find one concern (with its referrer and service)', helper: () => findVisibleConcern(db, org.id, ids[7]!, worker.id), raw: () => raw.query(find.sql, find.parameters) },
      { query: 'the new concerns queue (50 rows)', helper: () => listQueue(db, org.id, worker.id, 50, 0), raw: () => raw.query(list.sql, list.parameters) },
      { query: 'count the queue', helper: () => countQueue(db, org.id, worker.id), raw: () => raw.query(count.sql, count.parameters) },
      {
        query: 'append an audit row (transaction, chain head locked)',
        helper: () => db.transaction().execute((tx) => appendAudit(tx, { organisationId: org.id, actorUserId: worker.id, action: 'bench.read', occurredAt: new Date(), details: { n: 1 }, chainKey: TEST_CHAIN_KEY })),
      },
      { query: 'raise a concern (the whole service: reference, deadline, chronology, audit)', helper: () => app.factories.concern(worker) },
    ]
    const figures: QueryFigures[] = []
    for (const item of suite) {
      const helperMs = await timePerCall(item.helper, seconds)
      const rawMs = item.raw ? await timePerCall(item.raw, seconds) : NaN
      figures.push({ engine, query: item.query, helperMs, rawMs })
    }
    return figures
  } finally {
    await raw!?.close()
    await app.stop()
  }
}

async function databaseUrlOf(app: BenchApp): Promise<string> {
  const row = await sql<{ db: string }>`SELECT current_database() AS db`.execute(app.database.db)
  const base = new URL(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  base.pathname = `/${row.rows[0]!.db}`
  return base.toString()
}

/**
 * How many times a second the concern page's template renders from memory, with the very locals
 * the page rendered with (captured from a real request): the page route's ceiling.
 */
export async function templateRendersPerSecond(seconds: number): Promise<{ view: string; perSecond: number }> {
  const app = await startCountingApp('pglite')
  try {
    const org = await app.factories.organisation()
    const worker = await app.factories.user(org, ['dso'])
    const { id } = await app.factories.concern(worker)
    const client = await signedIn(app, worker)
    let captured: { view: string; options: object } | undefined
    const render = app.express.render.bind(app.express)
    app.express.render = ((view: string, options: object, callback: (err: Error | null, html?: string) => void) => {
      if (view.startsWith('concerns/view/')) captured = { view, options }
      return render(view, options, callback)
    }) as Express['render']
    const page = await client.get(`/concerns/${id}`)
    if (page.status !== 200 || !captured) throw new Error(`the concern page did not render (${page.status})`)
    const { view, options } = captured
    const once = () => new Promise<string>((resolve, reject) => render(view, { ...options }, (err, html) => (err ? reject(err) : resolve(html!))))
    const perCall = await timePerCall(once, seconds)
    return { view, perSecond: 1000 / perCall }
  } finally {
    await app.stop()
  }
}
