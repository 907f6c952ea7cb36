import type { KyselyPlugin } from 'kysely'
import { loadConfig, type Config } from '../../src/config.js'
import { createLogger, type Logger } from '../../src/logger.js'
import { startServer, type RunningServer } from '../../src/server.js'
import type { ChainKey } from '../../src/domain/audit-hash.js'
import { currentChainKey } from '../../src/services/audit-keys.js'
import { parseKey } from '../../src/services/secret-box.js'
import { TestClock } from './clock.js'
import { TestClient } from './client.js'
import { createTestDatabase, type TestDatabase } from './database.js'
import { Factories } from './factories.js'

export interface TestApp {
  url: string
  database: TestDatabase
  clock: TestClock
  server: RunningServer
  factories: Factories
  client(): TestClient
  /** A client already signed in as the given user. */
  signedIn(user: { email: string; password: string }): Promise<TestClient>
  stop(): Promise<void>
}

/** A fixed key for tests (never used outside them): MFA secrets are sealed with it. */
export const TEST_ENCRYPTION_KEY = 'dGVzdC1vbmx5LWtleS1mb3Ita2VzdHJlbC10ZXN0cyE='
/** The audit key the test servers seal rows with (derived from the test encryption key). */
export const TEST_CHAIN_KEY = currentChainKey({ current: parseKey(TEST_ENCRYPTION_KEY, 'TEST_ENCRYPTION_KEY'), previous: [] })!
/** What a verifier holding the test key checks rows with. */
export const TEST_KEYRING: ReadonlyMap<string, ChainKey> = new Map([[TEST_CHAIN_KEY.id, TEST_CHAIN_KEY]])

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SESSION_SECRET: 'test-session-secret-that-is-long-enough', KESTREL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }, overrides)
}

/** The real app on a real port against a real database, with a clock the test controls. */
export async function startTestApp(options: { now?: Date | string; config?: Partial<Config>; plugins?: KyselyPlugin[]; logger?: Logger } = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const clock = new TestClock(options.now ?? new Date())
  const config = testConfig(options.config)
  // Plugins (for example one that counts queries) see every query the app makes; the factories use the plain database.
  const appDatabase = options.plugins?.length ? { ...database, db: options.plugins.reduce((db, p) => db.withPlugin(p), database.db) } : database
  const server = await startServer(config, { database: appDatabase, clock, logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') })
  const factories = new Factories(database.db, clock)
  const app: TestApp = {
    url: server.url,
    database,
    clock,
    server,
    factories,
    client: () => new TestClient(server.url),
    async signedIn(user) {
      const client = new TestClient(server.url)
      await client.get('/sign-in')
      const response = await client.post('/sign-in', { email: user.email, password: user.password })
      if (response.status !== 303) throw new Error(`Sign-in failed for ${user.email}: ${response.status}`)
      return client
    },
    stop: () => server.stop(),
  }
  return app
}
