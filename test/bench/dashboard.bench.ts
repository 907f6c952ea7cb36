/**
 * Reporting benchmarks (issue 5, docs/performance.md "Reports"). Prints figures; asserts nothing.
 *
 *   node --import tsx test/bench/dashboard.bench.ts                 # embedded (PGlite) and, with a server, PostgreSQL
 *   BENCH_CONCERNS=200000 node --import tsx test/bench/dashboard.bench.ts
 *   BENCH_ENGINES=postgres BENCH_IMPORT_ROWS=0 node --import tsx test/bench/dashboard.bench.ts
 *
 * For each engine it generates BENCH_CONCERNS concerns (default 1,000,000) for one council over
 * ten years, builds the report facts with the same refresh code the app uses, then measures:
 * - the dashboard's server time (HTTP, signed in, loopback) against the time of its own read
 *   queries replayed directly (captured from the request by a Kysely plugin);
 * - the longest the event loop was blocked while dashboards were served (on the embedded
 *   database every query runs on the main thread, so this is the longest a query stalled others);
 * - the p95 of a light page (the home page) alone and while dashboards are being computed;
 * - on PostgreSQL, a 100,000-row historical import through the import service.
 * Generated databases are kept (PGlite in $BENCH_DIR, PostgreSQL as kestrel_bench_reports) and
 * reused when they already hold the requested number of concerns.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { CompiledQuery, sql } from 'kysely'
import pg from 'pg'
import { openDatabase, type Database } from '../../src/db/connect.js'
import { asReportWork } from '../../src/db/page-traffic.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { ADULT_CONCERN_TYPES, CHILD_CONCERN_TYPES, DEFAULT_REFERRING_SERVICES, LOCATIONS } from '../../src/domain/reference-lists.js'
import { financialYearOf } from '../../src/domain/kpis/periods.js'
import { londonDate } from '../../src/domain/working-days.js'
import { toCsv } from '../../src/formats/csv-writer.js'
import { newId } from '../../src/ids.js'
import { insertDefaultAgencies } from '../../src/repositories/agency-repository.js'
import { createOrganisation } from '../../src/repositories/organisation-repository.js'
import { insertUser } from '../../src/repositories/user-repository.js'
import { createLogger } from '../../src/logger.js'
import { startServer } from '../../src/server.js'
import { checkFile, runImport } from '../../src/services/historical-import.js'
import { hashPassword } from '../../src/services/passwords.js'
import { refreshReports } from '../../src/services/report-refresh.js'
import { plannerStatisticsJob } from '../../src/jobs/planner-statistics.js'
import { testConfig } from '../helpers/app.js'
import { TestClient } from '../helpers/client.js'
import { ExecutedStatements } from '../helpers/executed-statements.js'

const CONCERNS = Number(process.env.BENCH_CONCERNS ?? 1_000_000)
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000)
const PASSWORD = 'bench password for reports'
const DASHBOARD_RUNS = 15
const LIGHT_RUNS = 60
// Which engines to measure: both by default; BENCH_ENGINES=postgres skips the (slow) embedded run.
const ENGINES = new Set((process.env.BENCH_ENGINES ?? 'pglite,postgres').split(','))
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const ms = (n: number) => `${n.toFixed(1)} ms`
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
const median = (values: number[]) => percentile(values, 50)

interface Fixture {
  organisationId: string
  email: string
}

async function seed(database: Database, total: number, label: string): Promise<Fixture> {
  const db = database.db
  const existing = await db.selectFrom('organisation').select(['id']).where('slug', '=', 'bench-reports').executeTakeFirst()
  if (existing) {
    const n = Number((await db.selectFrom('concern').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', existing.id).executeTakeFirstOrThrow()).n)
    if (n === total) {
      const stale = Number((await db.selectFrom('report_stale').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
      console.log(`  ${label}: reusing ${n.toLocaleString('en-GB')} concerns (${stale} waiting for a refresh)`)
      return { organisationId: existing.id, email: 'bench.manager@bench.example' }
    }
    throw new Error(`${label} holds ${n} bench concerns, not ${total}: delete it (PGlite folder or the kestrel_bench_reports database) and run again`)
  }
  const started = performance.now()
  const passwordHash = await hashPassword(PASSWORD)
  const org = await db.transaction().execute(async (tx) => {
    const id = await createOrganisation(tx, { name: 'Bench Borough Council', slug: 'bench-reports', mfaRequired: false })
    await insertDefaultAgencies(tx, id)
    return id
  })
  const serviceIds: string[] = []
  for (const [i, name] of DEFAULT_REFERRING_SERVICES.entries()) {
    const id = newId()
    serviceIds.push(id)
    await db.insertInto('service').values({ organisation_id: org, id, name, sort_order: i }).execute()
  }
  const managerId = newId()
  await insertUser(db, { organisationId: org, id: managerId, email: 'bench.manager@bench.example', displayName: 'Bench Manager', passwordHash, mustChangePassword: false, serviceId: serviceIds[0]!, roles: ['safeguarding_manager'] })

  // Ten years of concerns, evenly spread, generated by the database itself in chunks.
  const start = '2016-04-01T09:00:00Z'
  const span = Date.now() - Date.parse(start) - 3 * 86_400_000
  const adultTypes = ADULT_CONCERN_TYPES.map((t) => `adult:${t}`)
  const childTypes = CHILD_CONCERN_TYPES.map((t) => `child:${t}`)
  const chunk = 100_000
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1)
    await sql`
      INSERT INTO concern (organisation_id, id, reference, submission_key, status, referrer_user_id, referrer_service_id, received_at, due_at,
        at_risk, person_name, person_date_of_birth, what_happened, concern_types, location, immediate_danger, person_aware,
        addressed_at, decision, decision_rationale, risk_level, closed_at, sac_outcome, risk_outcome, msp_asked, msp_achieved, source_of_risk, restricted)
      SELECT ${org}::uuid, gen_random_uuid(), 'BENCH-' || n, gen_random_uuid(),
        CASE WHEN closed THEN 'closed' ELSE 'open' END,
        ${managerId}::uuid, (${sql.val(serviceIds)}::uuid[])[1 + (n * 7) % 10],
        r, r + interval '2 days',
        kind, 'Person ' || (n % ${Math.floor(total * 0.9)}),
        CASE WHEN kind = 'child' THEN (r - ((n % 17) * interval '1 year') - interval '40 days')::date WHEN kind = 'unborn' THEN NULL ELSE (r - ((18 + n % 80) * interval '1 year') - interval '40 days')::date END,
        'Generated for the reporting benchmark',
        ARRAY[CASE WHEN kind IN ('child', 'unborn') THEN (${sql.val(childTypes)}::text[])[1 + n % 12] ELSE (${sql.val(adultTypes)}::text[])[1 + n % 11] END],
        (${sql.val([...LOCATIONS])}::text[])[1 + n % 9], false, 'knows_and_agrees',
        r + ((n % 40) * interval '1 hour'),
        CASE WHEN n % 14 = 0 THEN 'advice_and_guidance' ELSE 'onward_referral' END, 'Generated',
        (ARRAY['low', 'medium', 'high'])[1 + n % 3],
        CASE WHEN closed THEN r + ((10 + n % 50) * interval '1 day') END,
        CASE WHEN closed THEN (ARRAY['risk_identified_action_taken', 'no_risk_no_action', 'substantiated', 'not_substantiated'])[1 + n % 4] END,
        CASE WHEN closed THEN (ARRAY['risk_reduced', 'risk_removed', 'risk_remained'])[1 + n % 3] END,
        CASE WHEN closed THEN 'asked_expressed' END,
        CASE WHEN closed THEN (ARRAY['fully', 'partially'])[1 + n % 2] END,
        (ARRAY['service_provider', 'known_to_individual', 'unknown_to_individual'])[1 + n % 3],
        n % 1000 = 0
      FROM (
        SELECT n, ${start}::timestamptz + (n::double precision / ${total}) * ${span} * interval '1 millisecond' AS r,
               (ARRAY['adult', 'adult', 'adult', 'child', 'child', 'household', 'unborn'])[1 + n % 7] AS kind
        FROM generate_series(${from}::int, ${to}::int) AS n
      ) g, LATERAL (SELECT g.r < now() - interval '90 days' AND n % 10 < 9 AS closed) c
    `.execute(db)
    process.stdout.write(`\r  ${label}: ${to.toLocaleString('en-GB')} concerns generated`)
  }
  process.stdout.write('\n')
  await sql`
    INSERT INTO onward_referral (organisation_id, id, concern_id, agency, made_at, method, consent, created_by, created_at, submission_key)
    SELECT c.organisation_id, gen_random_uuid(), c.id, (ARRAY['Adult Social Care', 'Children’s Social Care (MASH)', 'Police', 'Domestic abuse link worker', 'Action Fraud'])[1 + abs(hashtext(c.reference)) % 5],
           c.addressed_at, 'phone', 'given', c.referrer_user_id, c.addressed_at, gen_random_uuid()
    FROM concern c WHERE c.organisation_id = ${org} AND c.decision = 'onward_referral'
  `.execute(db)
  // The few restricted cases name the manager, so the live (restricted) path is measured too.
  await sql`INSERT INTO concern_access (organisation_id, concern_id, user_id, granted_by, granted_at) SELECT organisation_id, id, ${managerId}::uuid, ${managerId}::uuid, received_at FROM concern WHERE organisation_id = ${org} AND restricted`.execute(db)
  console.log(`  ${label}: data generated in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  return { organisationId: org, email: 'bench.manager@bench.example' }
}

async function buildFacts(database: Database, organisationId: string, label: string): Promise<void> {
  const started = performance.now()
  const result = await refreshReports(database.db, organisationId, new Date(), { concernBatch: 2000, dayBatch: 62 })
  if (result.concerns > 0) console.log(`  ${label}: report facts for ${result.concerns.toLocaleString('en-GB')} concerns and ${result.days.toLocaleString('en-GB')} days built in ${((performance.now() - started) / 1000).toFixed(0)} s (${Math.round(result.concerns / ((performance.now() - started) / 1000)).toLocaleString('en-GB')} concerns/s)`)
}

async function measure(database: Database, fixture: Fixture, label: string): Promise<void> {
  // Every statement one request runs, so its reads can be replayed on their own.
  const capture = new ExecutedStatements()
  capture.on = false
  // The server must not close the database when it stops: the import benchmark uses it next.
  const plugged: Database = { ...database, db: database.db.withPlugin(capture), close: async () => {}, checkpoint: async () => {} }
  const server = await startServer(testConfig(), { database: plugged, logger: createLogger('silent') })
  try {
    const client = new TestClient(server.url)
    await client.get('/sign-in')
    const signedIn = await client.post('/sign-in', { email: fixture.email, password: PASSWORD })
    if (signedIn.status !== 303) throw new Error(`bench sign-in failed: ${signedIn.status}`)
    const year = financialYearOf(londonDate(new Date())) - 1
    const dashboard = `/reports?year=${year}`
    for (let i = 0; i < 3; i++) await client.get(dashboard) // warm up (first one also settles any refresh)

    // Server time, and the queries one request runs.
    const times: number[] = []
    for (let i = 0; i < DASHBOARD_RUNS; i++) {
      capture.reset()
      capture.on = i === DASHBOARD_RUNS - 1
      const t = performance.now()
      const page = await client.get(dashboard)
      times.push(performance.now() - t)
      if (page.status !== 200) throw new Error(`dashboard answered ${page.status}`)
    }
    capture.on = false
    const compiled = capture.nodes.map((node) => database.db.getExecutor().compileQuery(node, { queryId: '' } as never))
    const reads = compiled.filter((q) => /^\s*(select|with)\b/i.test(q.sql) && !/\b(for update|insert into|update "|delete from)\b/i.test(q.sql))
    const replay: number[] = []
    for (let i = 0; i < DASHBOARD_RUNS; i++) {
      const t = performance.now()
      for (const q of reads) await database.db.executeQuery(CompiledQuery.raw(q.sql, [...q.parameters]))
      replay.push(performance.now() - t)
    }
    const slowest = await slowestQuery(database, reads)
    console.log(`  ${label}: dashboard ${ms(median(times))} median, ${ms(percentile(times, 95))} p95 over ${DASHBOARD_RUNS} requests`)
    console.log(`  ${label}: its ${reads.length} read queries (of ${compiled.length} statements) replayed directly: ${ms(median(replay))} median; ratio ${(median(times) / median(replay)).toFixed(2)}; slowest single query ${ms(slowest.ms)}`)
    if (process.env.BENCH_VERBOSE) for (const line of slowest.top) console.log(`      ${line}`)

    // Light pages alone, then while dashboards are computed back to back.
    const light = async () => {
      await getAgain(client, '/') // a keep-alive socket the server closed while idle is replaced here, not timed
      const values: number[] = []
      for (let i = 0; i < LIGHT_RUNS; i++) {
        const t = performance.now()
        await client.get('/')
        values.push(performance.now() - t)
      }
      return values
    }
    const alone = await light()
    const busyClient = new TestClient(server.url)
    await getAgain(busyClient, '/sign-in')
    await busyClient.post('/sign-in', { email: fixture.email, password: PASSWORD })
    let running = true
    const loop = monitorEventLoopDelay({ resolution: 5 })
    loop.enable()
    const background = (async () => {
      let n = 0
      while (running) {
        await busyClient.get(dashboard)
        n++
      }
      return n
    })()
    const busy = await light()
    running = false
    const dashboardsDuring = await background
    loop.disable()
    const blocked = loop.max / 1e6
    console.log(`  ${label}: home page p95 ${ms(percentile(alone, 95))} alone, ${ms(percentile(busy, 95))} while ${dashboardsDuring} dashboards ran: ratio ${(percentile(busy, 95) / percentile(alone, 95)).toFixed(2)}; longest event-loop stall ${ms(blocked)}`)

    // The heaviest report work: rebuilding the facts of 10,000 changed concerns while pages are served.
    await sql`UPDATE concern SET reopened_count = reopened_count WHERE organisation_id = ${fixture.organisationId} AND id IN (SELECT id FROM concern WHERE organisation_id = ${fixture.organisationId} ORDER BY received_at DESC LIMIT 10000)`.execute(database.db)
    const refreshLoop = monitorEventLoopDelay({ resolution: 5 })
    refreshLoop.enable()
    let refreshing = true
    const refreshStarted = performance.now()
    // As the app runs it (before a report is read, or after an import): report work, pages first.
    const refresh = asReportWork(() => refreshReports(database.db, fixture.organisationId, new Date(), { embedded: database.engine === 'pglite' })).finally(() => {
      refreshing = false
    })
    const during: number[] = []
    while (refreshing) {
      const t = performance.now()
      await getAgain(client, '/')
      during.push(performance.now() - t)
    }
    const refreshed = await refresh
    refreshLoop.disable()
    console.log(`  ${label}: refresh of ${refreshed.concerns.toLocaleString('en-GB')} changed concerns took ${ms(performance.now() - refreshStarted)}; meanwhile ${during.length} home pages, p95 ${ms(percentile(during, 95))}; longest event-loop stall ${ms(refreshLoop.max / 1e6)}`)
  } finally {
    await server.stop()
  }
}

/** A request that survives a keep-alive socket the server has just closed (idle timeout). */
async function getAgain(client: TestClient, path: string) {
  try {
    return await client.get(path)
  } catch {
    return client.get(path)
  }
}

/** The longest any one of the dashboard's read queries takes on its own (and which it is). */
async function slowestQuery(database: Database, reads: CompiledQuery[]): Promise<{ ms: number; top: string[] }> {
  const timed: { ms: number; sql: string }[] = []
  for (const q of reads) {
    const t = performance.now()
    await database.db.executeQuery(CompiledQuery.raw(q.sql, [...q.parameters]))
    timed.push({ ms: performance.now() - t, sql: q.sql.replace(/\s+/g, ' ').slice(0, 90) })
  }
  timed.sort((a, b) => b.ms - a.ms)
  return { ms: timed[0]?.ms ?? 0, top: timed.slice(0, 3).map((t) => `${ms(t.ms)}  ${t.sql}`) }
}

/** A 100,000-row spreadsheet through the import service: check, then one transaction. */
export async function benchImport(database: Database, label: string): Promise<void> {
  const db = database.db
  const org = await db.transaction().execute(async (tx) => {
    const id = await createOrganisation(tx, { name: `Import Bench ${newId().slice(-6)}`, slug: `bench-import-${newId().slice(-8)}`, mfaRequired: false })
    await insertDefaultAgencies(tx, id)
    return id
  })
  for (const [i, name] of DEFAULT_REFERRING_SERVICES.entries()) await db.insertInto('service').values({ organisation_id: org, id: newId(), name, sort_order: i }).execute()
  const userId = newId()
  await insertUser(db, { organisationId: org, id: userId, email: `import.${newId().slice(-8)}@bench.example`, displayName: 'Import Bench', passwordHash: 'not-a-hash', mustChangePassword: false, serviceId: null, roles: ['safeguarding_manager'] })
  const header = ['external_reference', 'received_at', 'referring_service', 'at_risk', 'date_of_birth', 'types', 'location_of_risk', 'addressed_at', 'decision', 'onward_agencies', 'closed_at', 'outcome']
  const rows: string[][] = [header]
  const first = Date.parse('2015-04-01T10:00:00Z')
  for (let n = 0; n < IMPORT_ROWS; n++) {
    const received = new Date(first + n * 45 * 60_000)
    const day = received.toISOString().slice(0, 10)
    const closed = new Date(received.getTime() + 30 * 86_400_000).toISOString().slice(0, 10)
    rows.push([`IMP-${n}`, `${day} ${received.toISOString().slice(11, 16)}`, DEFAULT_REFERRING_SERVICES[n % 10]!, 'adult', `${1930 + (n % 60)}-0${1 + (n % 9)}-1${n % 9}`, ADULT_CONCERN_TYPES[n % 11]!, LOCATIONS[n % 9]!, day, n % 14 === 0 ? 'Advice and guidance' : 'Onward referral', n % 14 === 0 ? '' : 'Adult Social Care', closed, 'Substantiated'])
  }
  const bytes = Buffer.from(toCsv(rows), 'utf8')
  const ctx = { requestId: 'bench', ip: '127.0.0.1', now: () => new Date(), user: { id: userId, organisationId: org, organisationName: 'Import Bench', email: 'x', displayName: 'Import Bench', serviceId: null, roles: new Set(['staff', 'safeguarding_manager'] as const), mustChangePassword: false }, chainKey: null }
  const deps = { database, config: testConfig(), logger: createLogger('silent'), clock: { now: () => new Date() } }
  const t0 = performance.now()
  const checked = await checkFile(db, org, bytes, londonDate(new Date()))
  if (!checked.ok) throw new Error(checked.message)
  const t1 = performance.now()
  const { checkUpload } = await import('../../src/services/historical-import.js')
  const stored = await checkUpload(deps as never, ctx as never, { fileName: 'bench.csv', bytes })
  if (!stored.ok) throw new Error(stored.message)
  const t2 = performance.now()
  const batch = await db.selectFrom('import_batch').select('version').where('id', '=', stored.batchId).executeTakeFirstOrThrow()
  let importedAt = 0
  const outcome = await runImport(deps as never, ctx as never, stored.batchId, batch.version, (stage) => {
    if (stage === 'updating-reports' && importedAt === 0) importedAt = performance.now()
  })
  const t3 = performance.now()
  if (outcome.kind !== 'imported') throw new Error(`import ended ${outcome.kind}`)
  console.log(`  ${label}: import of ${IMPORT_ROWS.toLocaleString('en-GB')} rows (${(bytes.length / 1024 / 1024).toFixed(1)} MB CSV): checking ${((t1 - t0) / 1000).toFixed(1)} s; upload step (check and store) ${((t2 - t1) / 1000).toFixed(1)} s; import transaction ${((importedAt - t2) / 1000).toFixed(1)} s; report facts ${((t3 - importedAt) / 1000).toFixed(1)} s; import step in all ${((t3 - t2) / 1000).toFixed(1)} s`)
}

export async function runReportBenchmarks(): Promise<void> {
  console.log(`Reports benchmark: ${CONCERNS.toLocaleString('en-GB')} concerns, Node ${process.version}, ${os.cpus().length} CPUs`)

  if (ENGINES.has('pglite')) await benchEmbedded()
  if (ENGINES.has('postgres')) await benchPostgres()
}

/** Embedded: a PGlite data folder, kept between runs. */
async function benchEmbedded(): Promise<void> {
  const dir = process.env.BENCH_DIR ?? path.join(os.tmpdir(), `kestrel-bench-reports-${CONCERNS}`)
  fs.mkdirSync(dir, { recursive: true })
  const embedded = await openDatabase({ kind: 'pglite', dataDir: dir }, 'bench')
  try {
    await migrateToLatest(embedded.db)
    const fixture = await seed(embedded, CONCERNS, 'PGlite')
    // Ten years of data have seen many nights: the nightly statistics job has run (no autovacuum here).
    await nightlyStatistics(embedded)
    await buildFacts(embedded, fixture.organisationId, 'PGlite')
    await nightlyStatistics(embedded)
    await measure(embedded, fixture, 'PGlite')
  } finally {
    await embedded.close()
  }

}

async function nightlyStatistics(database: Database): Promise<void> {
  await plannerStatisticsJob.run({ db: database.db, config: testConfig(), logger: createLogger('silent'), now: () => new Date(), scheduledFor: new Date() })
}

/** PostgreSQL, when a server is reachable. */
async function benchPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl })
  try {
    await admin.connect()
  } catch {
    console.log(`  PostgreSQL: no server at ${pgUrl.replace(/\/\/[^@]*@/, '//')}; skipped`)
    return
  }
  const name = `kestrel_bench_reports_${CONCERNS}`
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(pgUrl)
  url.pathname = `/${name}`
  const server = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 10 })
  try {
    await migrateToLatest(server.db)
    const fixture = await seed(server, CONCERNS, 'PostgreSQL')
    await sql`ANALYZE`.execute(server.db)
    await buildFacts(server, fixture.organisationId, 'PostgreSQL')
    await sql`ANALYZE`.execute(server.db)
    await measure(server, fixture, 'PostgreSQL')
    if (IMPORT_ROWS > 0) await benchImport(server, 'PostgreSQL')
  } finally {
    await server.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runReportBenchmarks().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
