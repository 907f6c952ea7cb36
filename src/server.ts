import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp } from './app.js'
import type { Config } from './config.js'
import { openDatabase, type Database, type DatabaseTarget } from './db/connect.js'
import { migrateAsOwner, migrateToLatest } from './db/migrate.js'
import { roleFacts } from './db/privileges.js'
import { systemClock, type AppDeps, type Clock } from './context.js'
import { createLogger, type Logger } from './logger.js'
import type { JobDefinition } from './jobs/job.js'
import { Scheduler } from './jobs/scheduler.js'
import { embeddedBackupJobs } from './jobs/nightly-backup.js'
import { plannerStatisticsJob } from './jobs/planner-statistics.js'
import { openBackupChannel } from './backup/channel.js'
import { currentChainKey } from './services/audit-keys.js'
import { resolveEncryptionKeys } from './services/encryption-key.js'
import { closeSmtpTransports } from './services/email/smtp-sender.js'
import { sealStoredNotifyApiKeys } from './services/notification-settings.js'

export interface RunningServer {
  url: string
  deps: AppDeps
  server: http.Server
  /** Present when the server runs scheduled jobs (kestrel serve and demo; never in tests unless asked). */
  scheduler?: Scheduler
  /** Stop accepting, finish in-flight requests, checkpoint, close the database. */
  stop(): Promise<void>
}

export function databaseTarget(config: Config, logger?: Logger): DatabaseTarget {
  if (config.database.kind !== 'postgres') return { kind: 'pglite', dataDir: config.database.dataDir }
  // The message only: a connection error can carry the connection string.
  const onIdleError = (error: Error) => logger?.warn({ err: { message: error.message } }, 'A database connection was closed by the server; the next query opens a new one')
  return { kind: 'postgres', url: config.database.url, onIdleError }
}

export async function openAndMigrate(config: Config, purpose: string, logger?: Logger): Promise<Database> {
  const database = await openDatabase(databaseTarget(config, logger), purpose)
  try {
    const ownerUrl = config.database.kind === 'postgres' ? config.database.ownerUrl : undefined
    const applied = ownerUrl ? await withOwner(ownerUrl, (owner) => migrateAsOwner(owner.db, database.db)) : await migrateToLatest(database.db)
    if (applied.length) logger?.info({ migrations: applied }, 'Applied migrations')
    if (database.engine === 'postgres') {
      const facts = await roleFacts(database.db)
      if (facts.superuser || facts.ownsTables) logger?.warn(`Kestrel connects to PostgreSQL as ${facts.superuser ? 'a superuser' : 'the owner of its tables'}, so the application could alter its audit tables: set DATABASE_OWNER_URL for migrations and DATABASE_URL to a role of its own (docs/operations.md, "Database roles")`)
    }
    return database
  } catch (error) {
    await database.close()
    throw error
  }
}

/** A short-lived connection as the tables' owner (migrations, grants, restore). */
export async function withOwner<T>(ownerUrl: string, work: (owner: Database) => Promise<T>): Promise<T> {
  const owner = await openDatabase({ kind: 'postgres', url: ownerUrl, maxConnections: 1 })
  try {
    return await work(owner)
  } finally {
    await owner.close()
  }
}

export async function startServer(config: Config, options: { database?: Database; clock?: Clock; logger?: Logger; jobs?: JobDefinition[] } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel)
  const database = options.database ?? (await openAndMigrate(config, 'server', logger))
  const encryptionKeys = resolveEncryptionKeys(config, database.dataDir)
  if (!encryptionKeys) logger.warn('KESTREL_ENCRYPTION_KEY is not set: nobody can set up two-step verification or save a GOV.UK Notify API key until it is (see docs/operations.md)')
  const deps: AppDeps = { config: { ...config, ...(encryptionKeys ? { encryptionKeys } : {}) }, database, logger, clock: options.clock ?? systemClock }
  const sealed = await sealStoredNotifyApiKeys({ db: database.db, config: deps.config, logger })
  if (sealed) logger.info({ keys: sealed }, 'Sealed GOV.UK Notify API keys kept in plain text or under a previous encryption key')
  const app = createApp(deps)
  const server = http.createServer(app)
  server.keepAliveTimeout = 5_000
  server.headersTimeout = 10_000
  server.requestTimeout = 60_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host}:${address.port}`

  // `kestrel backup` reaches a running embedded server through this loopback-only channel.
  const backupChannel = database.engine === 'pglite' && database.dataDir ? await openBackupChannel(database, logger, deps.clock, currentChainKey(deps.config.encryptionKeys)) : undefined
  const embeddedJobs = database.engine === 'pglite' ? [...embeddedBackupJobs(database, config), plannerStatisticsJob] : []
  const jobs = options.jobs?.length ? [...options.jobs, ...embeddedJobs] : []
  const scheduler = jobs.length ? new Scheduler({ db: database.db, config: deps.config, logger, clock: deps.clock }, jobs) : undefined
  scheduler?.start()

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      // close() stops accepting and resolves when in-flight requests have finished.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const forced = setTimeout(() => server.closeAllConnections(), 10_000)
      // A backup being sent through the channel finishes before the database closes.
      await Promise.all([closed, backupChannel?.close()])
      clearTimeout(forced)
      await scheduler?.stop()
      closeSmtpTransports()
      await database.checkpoint().catch(() => {})
      await database.close()
    })())

  return { url, deps, server, scheduler, stop }
}

/** SIGTERM and SIGINT drain in-flight requests, checkpoint and close, then exit. */
export function stopOnSignals(running: RunningServer, logger: Logger): void {
  const handler = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'Shutting down: finishing in-flight requests')
    running
      .stop()
      .then(() => {
        logger.info('Stopped cleanly')
        process.exit(0)
      })
      .catch((error: unknown) => {
        logger.error({ err: { message: (error as Error).message } }, 'Shutdown failed')
        process.exit(1)
      })
  }
  process.once('SIGTERM', handler)
  process.once('SIGINT', handler)
}
