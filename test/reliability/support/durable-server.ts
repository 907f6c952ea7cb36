// A Kestrel server on an embedded data folder, as a child process the durability test can kill.
// On a new folder it creates one organisation and one member of staff. When it is listening it
// prints one JSON line: where it is, who can sign in, and how long it took to start.
import { loadConfig } from '../../../src/config.js'
import { createLogger } from '../../../src/logger.js'
import { startServer } from '../../../src/server.js'
import { listOrganisationIds } from '../../../src/repositories/organisation-repository.js'
import { Factories, TEST_PASSWORD } from '../../helpers/factories.js'
import { TestClock } from '../../helpers/clock.js'

const started = performance.now()
const config = loadConfig(process.env)
const running = await startServer(config, { logger: createLogger('silent') })
const db = running.deps.database.db
const email = 'durable.staff@kestrel.example'
if ((await listOrganisationIds(db)).length === 0) {
  const factories = new Factories(db, new TestClock())
  const org = await factories.organisation('Durability Council')
  await factories.user(org, [], { email, name: 'Durable Staff' })
}
process.stdout.write(`${JSON.stringify({ url: running.url, email, password: TEST_PASSWORD, startMs: Math.round(performance.now() - started) })}\n`)
process.once('SIGTERM', () => {
  void running.stop().then(() => process.exit(0))
})
