/**
 * npm run bench — Kestrel's performance figures, measured side by side in one run on this
 * machine. Prints every figure; asserts nothing (benchmarks are not tests). Budgets are in
 * docs/performance.md and the architecture notes.
 *
 *   npm run bench                      # about two minutes
 *   npm run bench -- --long            # several minutes at 20 users, a longer ramp
 *   npm run bench -- --record          # also writes the figures into docs/performance.md
 *   npm run bench -- --with-reports    # also the reporting benchmarks (test/bench/dashboard.bench.ts; long)
 *
 * PostgreSQL figures need a server: BENCH_DATABASE_URL or TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); without one they are reported as not measured.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { openDatabase } from '../../src/db/connect.js'
import { projectRoot } from '../../src/project-root.js'
import { journeys, journeysWithThinkTime, pageRate, signInTiming, signInUsers, THINK_MS, type LoadFigures } from './load.js'
import { querySuite, statementCounts, templateRendersPerSecond, type QueryFigures } from './ratios.js'
import { startBenchServer } from './support/child-server.js'

const { values: options } = parseArgs({ options: { long: { type: 'boolean' }, record: { type: 'boolean' }, 'with-reports': { type: 'boolean' } } })
const long = options.long === true
const SECONDS = { query: long ? 2 : 0.6, render: long ? 5 : 2, page: long ? 20 : 8, load: long ? 180 : 20, think: long ? 300 : 60, ramp: long ? 20 : 6 }
const RAMP = long ? [5, 10, 20, 40, 80, 160, 320, 640] : [5, 10, 20, 40, 80, 160]

const lines: string[] = []
/** Prints a line and keeps it for docs/performance.md. */
function say(line = ''): void {
  console.log(line)
  lines.push(line)
}
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—')
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—')
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

async function postgresAvailable(): Promise<string | undefined> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    const version = (await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v
    await client.end()
    return version
  } catch {
    return undefined
  }
}

function machine(postgres: string | undefined): string {
  const cpus = os.cpus()
  return `${os.type()} ${os.release()} (${os.arch()}), ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} at the start; Node ${process.version}; PGlite ${JSON.parse(fs.readFileSync(path.join(projectRoot, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version}; PostgreSQL ${postgres ?? 'not available'}`
}

function loadRow(r: LoadFigures): string {
  return `| ${r.connections} | ${r.seconds} s | ${r.requests} | ${f1(r.perSecond)} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.p99)} | ${r.errors} |`
}

/** A journeys run's overall figures and its figures by step. */
function journeyTables(r: LoadFigures): void {
  say('| Users | Time | Requests | Req/s | p50 ms | p95 ms | p99 ms | Errors |')
  say('|---|---|---|---|---|---|---|---|')
  say(loadRow(r))
  say()
  say('By step of the journey:')
  say()
  say('| Step | Requests | p50 ms | p95 ms | p99 ms |')
  say('|---|---|---|---|---|')
  for (const [step, figures] of Object.entries(r.steps)) say(`| ${step} | ${figures.count} | ${f1(figures.p50)} | ${f1(figures.p95)} | ${f1(figures.p99)} |`)
  say()
}

async function main(): Promise<void> {
  const started = Date.now()
  const postgres = await postgresAvailable()
  say(`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${long ? 'long' : 'default (short)'} settings.`)
  say(`Machine: ${machine(postgres)}.`)
  say()

  // 1. No N+1: statements per list page.
  say('### SQL statements per list page (budget: 50 rows ÷ 5 rows = 1)')
  say()
  say('| Page | 5 rows | 50 rows | Ratio |')
  say('|---|---|---|---|')
  for (const c of await statementCounts()) say(`| ${c.page} | ${c.at5} | ${c.at50} | ${f2(c.at50 / c.at5)} |`)
  say()

  // 2. Query helper ÷ raw driver, and PGlite ÷ PostgreSQL.
  const suites: QueryFigures[][] = [await querySuite('pglite', SECONDS.query)]
  if (postgres) suites.push(await querySuite('postgres', SECONDS.query))
  say('### Query helper ÷ raw driver (budget ≤ 1.2), and PGlite ÷ PostgreSQL')
  say()
  say('| Query | PGlite helper ms | PGlite raw ms | PGlite ratio | PostgreSQL helper ms | PostgreSQL raw ms | PostgreSQL ratio | PGlite ÷ PostgreSQL |')
  say('|---|---|---|---|---|---|---|---|')
  const [lite, server] = suites
  for (const [i, q] of lite!.entries()) {
    const p = server?.[i]
    say(`| ${q.query} | ${f2(q.helperMs)} | ${f2(q.rawMs)} | ${f2(q.helperMs / q.rawMs)} | ${f2(p?.helperMs ?? NaN)} | ${f2(p?.rawMs ?? NaN)} | ${f2(p ? p.helperMs / p.rawMs : NaN)} | ${f2(p ? q.helperMs / p.helperMs : NaN)} |`)
  }
  if (server) {
    const ratios = lite!.map((q, i) => q.helperMs / server[i]!.helperMs)
    say()
    say(`PGlite ÷ PostgreSQL over the suite (geometric mean): ${f2(Math.exp(mean(ratios.map(Math.log))))}.`)
  }
  say()

  // 3. The embedded server as a separate process: cold start, the page ratio, load, ramp, sign-in timing, restart.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-bench-'))
  try {
    const first = await startBenchServer({ dataDir })
    const info = first.info
    say('### Start-up (budget ≤ 5 s)')
    say()
    say(`- Cold start on a new data folder (create the database, run every migration): ${first.info.startMs} ms in the server, ${first.spawnToListeningMs} ms from starting the process to listening.`)
    try {
      // Twenty people for the journeys; the ramp's larger crowds share forty sessions.
      const sessions = await signInUsers(info, 40)
      const render = await templateRendersPerSecond(SECONDS.render)
      const page = await pageRate(info, sessions[0]!, `/concerns/${info.concernIds[0]}`, 10, SECONDS.page)
      const load = await journeys(info, sessions, 20, SECONDS.load)
      const thinking = await journeysWithThinkTime(info, sessions, 20, SECONDS.think)
      const ramp: LoadFigures[] = []
      for (const connections of RAMP) {
        const r = await journeys(info, sessions, connections, SECONDS.ramp)
        ramp.push(r)
        if (r.errors > 0) break
      }
      const timing = await signInTiming(info, long ? 200 : 60)
      await first.stop()

      // The ledger: every acknowledged concern is in the database.
      const acknowledged = [load, thinking, ...ramp].flatMap((r) => r.acknowledged)
      const database = await openDatabase({ kind: 'pglite', dataDir }, 'bench ledger')
      let missing: string[]
      try {
        const found = new Set((await database.db.selectFrom('concern').select('id').execute()).map((r) => r.id))
        missing = acknowledged.filter((id) => !found.has(id))
      } finally {
        await database.close()
      }
      const again = await startBenchServer({ dataDir })
      say(`- Restart on the same folder: ${again.info.startMs} ms in the server, ${again.spawnToListeningMs} ms from starting the process to listening.`)
      await again.stop()
      say()

      say('### Page route ÷ the same template rendered from memory (budget ≥ 0.33)')
      say()
      say(`- The concern page (session, policy, query, audit row, render) over HTTP, 10 connections for ${SECONDS.page} s: ${f1(page.perSecond)} req/s (p50 ${f1(page.p50)} ms${page.non200 ? `, ${page.non200} not 200` : ''}).`)
      say(`- Its template (${render.view}) rendered from memory with the same locals: ${f1(render.perSecond)} renders/s.`)
      say(`- Ratio: **${f2(page.perSecond / render.perSecond)}**.`)
      say()

      say(`### Journeys at 20 concurrent users for ${SECONDS.load} s (budget: page p95 ≤ 150 ms, 0 errors)`)
      say()
      say('Each user: raise a concern (form, check your answers, send), the new concerns queue, a case, its triage page, their own concerns, the dashboard — round and round, each with their own session.')
      say()
      journeyTables(load)
      say(`Every step but the dashboard: p95 ${f1(load.pagesP95)} ms. (On the embedded database report statements wait for gaps between pages, so under load without think time the dashboard waits longest.)`)
      say()

      const think = `${THINK_MS.min / 1000}–${THINK_MS.max / 1000} s`
      say(`### Journeys at 20 concurrent users with think time (${think} between steps) for ${SECONDS.think} s (budget: page p95 ≤ 150 ms, 0 errors)`)
      say()
      say(`The same users, sessions and journey, but each person pauses ${think} (at random) before every step, as an officer reading a page or filling in a form would.`)
      say()
      journeyTables(thinking)
      say(`Every step but the dashboard: p95 ${f1(thinking.pagesP95)} ms.`)
      say()
      say(`Ledger: ${acknowledged.length} concerns acknowledged over the whole run (both journeys runs and the ramp), ${acknowledged.length - missing.length} found in the database, **${missing.length} lost**.`)
      say()

      say(`### Ramp until errors (${SECONDS.ramp} s a step)`)
      say()
      say('| Users | Time | Requests | Req/s | p50 ms | p95 ms | p99 ms | Errors |')
      say('|---|---|---|---|---|---|---|---|')
      for (const r of ramp) say(loadRow(r))
      const best = ramp.reduce((a, b) => (b.perSecond > a.perSecond ? b : a))
      // The knee: the last step that still bought at least 10% more throughput without errors.
      let knee = ramp[0]!
      for (let i = 1; i < ramp.length; i++) {
        if (ramp[i]!.errors > 0 || ramp[i]!.perSecond < ramp[i - 1]!.perSecond * 1.1) break
        knee = ramp[i]!
      }
      say()
      say(`Knee: about **${knee.connections} users** (${f1(knee.perSecond)} req/s, p95 ${f1(knee.p95)} ms); beyond it throughput stops growing and latency grows instead. Peak ${f1(best.perSecond)} req/s at ${best.connections} users.${ramp.at(-1)!.errors ? ` First errors at ${ramp.at(-1)!.connections} users.` : ` No errors up to ${ramp.at(-1)!.connections} users.`}`)
      say()

      say('### Sign-in timing: unknown account ÷ wrong password (not asserted; enumeration by timing)')
      say()
      say(`- ${timing.unknownMs.length} attempts each, alternating, each from its own address: unknown account median ${f1(median(timing.unknownMs))} ms (mean ${f1(mean(timing.unknownMs))}), wrong password median ${f1(median(timing.wrongMs))} ms (mean ${f1(mean(timing.wrongMs))}); difference of medians ${f1(median(timing.unknownMs) - median(timing.wrongMs))} ms.`)
      say()
    } finally {
      await first.stop()
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }

  if (options['with-reports']) {
    say('### Reports')
    say()
    say('See the output of test/bench/dashboard.bench.ts above (also runnable on its own).')
    const { runReportBenchmarks } = await import('./dashboard.bench.js')
    await runReportBenchmarks()
  }
  say(`Bench finished in ${Math.round((Date.now() - started) / 1000)} s.`)

  if (options.record) {
    const file = path.join(projectRoot, 'docs/performance.md')
    const doc = fs.readFileSync(file, 'utf8')
    const start = '<!-- bench:latest:start -->'
    const end = '<!-- bench:latest:end -->'
    if (!doc.includes(start) || !doc.includes(end)) throw new Error(`docs/performance.md has no ${start} … ${end} section to record into`)
    fs.writeFileSync(file, `${doc.slice(0, doc.indexOf(start) + start.length)}\n${lines.join('\n')}\n${doc.slice(doc.indexOf(end))}`)
    console.log('Recorded in docs/performance.md.')
  }
}

await main()
process.exit(0)
