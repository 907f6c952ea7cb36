// A Kestrel server for `npm run bench`, as its own process (the load generator gets the other
// core). On a new database it seeds one council: workers (DSO and manager), people whose
// passwords get guessed, and a few hundred concerns. Prints one JSON line when it listens.
import { loadConfig } from '../../../src/config.js'
import { createLogger } from '../../../src/logger.js'
import { startServer } from '../../../src/server.js'
import { listOrganisationIds } from '../../../src/repositories/organisation-repository.js'
import { Factories, TEST_PASSWORD } from '../../helpers/factories.js'
import { TestClock } from '../../helpers/clock.js'

const WORKERS = Number(process.env.BENCH_WORKERS ?? 200)
const VICTIMS = Number(process.env.BENCH_VICTIMS ?? 60)
const CONCERNS = Number(process.env.BENCH_SEED_CONCERNS ?? 300)

const started = performance.now()
const config = loadConfig(process.env)
const running = await startServer(config, { logger: createLogger('silent') })
const startMs = Math.round(performance.now() - started)
// Listening now: said at once, so start-up is measured without the seeding below.
process.stdout.write(`${JSON.stringify({ listening: true, startMs })}\n`)
const db = running.deps.database.db
if ((await listOrganisationIds(db)).length === 0) {
  const factories = new Factories(db, new TestClock())
  const org = await factories.organisation('Bench Council')
  const workers = []
  for (let i = 0; i < WORKERS; i++) workers.push(await factories.user(org, ['dso', 'safeguarding_manager'], { email: `worker${i}@bench.example`, name: `Worker ${i}` }))
  for (let i = 0; i < VICTIMS; i++) await factories.user(org, [], { email: `victim${i}@bench.example`, name: `Victim ${i}` })
  for (let i = 0; i < CONCERNS; i++) await factories.concern(workers[i % workers.length]!)
}
const concernIds = (await db.selectFrom('concern').select('id').orderBy('received_at').limit(100).execute()).map((r) => r.id)
const count = (prefix: string) => db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).where('email', 'like', `${prefix}%@bench.example`).executeTakeFirstOrThrow()
process.stdout.write(
  `${JSON.stringify({ url: running.url, startMs, readyMs: Math.round(performance.now() - started), password: TEST_PASSWORD, workers: Number((await count('worker')).n), victims: Number((await count('victim')).n), concernIds, engine: running.deps.database.engine })}\n`,
)
process.once('SIGTERM', () => {
  void running.stop().then(() => process.exit(0))
})
