import { parseArgs } from 'node:util'
import { loadConfig, ConfigError, type Config } from './config.js'
import { DataDirError } from './db/connect.js'
import { DataDirLockedError } from './db/data-dir-lock.js'
import { demoAccounts, seedDemo } from './db/seed/demo.js'
import { createLogger } from './logger.js'
import { listOrganisationIds } from './repositories/organisation-repository.js'
import { countUsers } from './repositories/user-repository.js'
import { chainKeyring, currentChainKey } from './services/audit-keys.js'
import { describeChain, verifyAuditChains } from './services/audit-verify.js'
import { resolveEncryptionKeys } from './services/encryption-key.js'
import { createAdministrator } from './services/bootstrap.js'
import { generateTemporaryPassword, PASSWORD_MIN } from './services/passwords.js'
import { isTooEasyToGuess } from './domain/password-strength.js'
import { kestrelJobs } from './jobs/registry.js'
import { openAndMigrate, startServer, stopOnSignals } from './server.js'
import { BackupError } from './backup/archive.js'
import { backupCli, restoreCli } from './backup/commands.js'

const HELP = `Usage: kestrel <command> [options]

Commands:
  serve                 Run Kestrel (production mode: no demo data)
  demo                  Run Kestrel with the embedded database and the demo council
  migrate               Apply database migrations and exit
  create-admin          Create an administrator (and the organisation on a new installation)
                          --email <address> --name "<full name>" [--organisation "<council name>"]
                          The password is read from KESTREL_ADMIN_PASSWORD, or generated and shown once.
  audit verify          Check every organisation's audit chain and report the first broken row
  backup [--output FILE | --keep N]
                        Write a checked, compressed backup (embedded: works while the server runs;
                          PostgreSQL: needs pg_dump). Without --output it goes in KESTREL_BACKUP_DIR
                          (./backups); --keep N then deletes all but the newest N there.
  restore FILE          Restore a backup into an empty data folder or empty PostgreSQL database,
                          then verify its audit chains

Environment: DATABASE_URL (PostgreSQL; otherwise the embedded database in KESTREL_DATA_DIR, default ./data),
PORT (3000), HOST (127.0.0.1), SESSION_SECRET (required when NODE_ENV=production).`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'serve':
      return serve(loadConfig())
    case 'demo':
      return demo()
    case 'migrate':
      return migrate(loadConfig())
    case 'create-admin':
      return createAdmin(loadConfig(), rest)
    case 'audit':
      if (rest[0] === 'verify') return auditVerify(loadConfig())
      break
    case 'backup':
      return backupCli(loadConfig(), rest)
    case 'restore':
      return restoreCli(loadConfig(), rest)
    case undefined:
    case 'help':
    case '--help':
      console.log(HELP)
      return 0
  }
  console.error(`Unknown command: ${argv.join(' ')}\n\n${HELP}`)
  return 2
}

async function serve(config: Config): Promise<number> {
  const logger = createLogger(config.logLevel)
  const running = await startServer(config, { logger, jobs: kestrelJobs() })
  stopOnSignals(running, logger)
  if ((await countUsers(running.deps.database.db)) === 0) {
    logger.warn('No accounts yet: stop the server and run "npx kestrel create-admin" to create the first administrator')
  }
  logger.info({ url: running.url, database: running.deps.database.engine }, 'Kestrel is running')
  return -1 // keep running
}

async function demo(): Promise<number> {
  const config = loadConfig({ ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' })
  if (config.database.kind === 'postgres') {
    console.error('The demo runs on the embedded database; unset DATABASE_URL (or use "kestrel serve" against PostgreSQL).')
    return 2
  }
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn')
  const started = Date.now()
  const database = await openAndMigrate(config, 'demo server', logger)
  if ((await listOrganisationIds(database.db)).length === 0) {
    console.log('Creating the demo council (first run only)…')
    await seedDemo(database.db, new Date(), currentChainKey(resolveEncryptionKeys(config, database.dataDir)))
  }
  const running = await startServer(config, { database, logger, jobs: kestrelJobs() })
  stopOnSignals(running, logger)
  const { password, accounts } = demoAccounts()
  const width = Math.max(...accounts.map((a) => a.role.length))
  console.log(`
Kestrel is running at ${running.url}  (ready in ${((Date.now() - started) / 1000).toFixed(1)}s)
Embedded database: ${config.database.dataDir}

Sign in with any of these demo accounts. The password for all of them is: ${password}
${accounts.map((a) => `  ${a.role.padEnd(width)}  ${a.email}`).join('\n')}

This is demonstration data about invented people. Press Ctrl+C to stop.`)
  return -1
}

async function migrate(config: Config): Promise<number> {
  const database = await openAndMigrate(config, 'migrate', createLogger(config.logLevel))
  await database.close()
  console.log('Migrations are up to date.')
  return 0
}

async function createAdmin(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' }, organisation: { type: 'string' } }, strict: true })
  if (!values.email || !values.name) {
    console.error('Give --email and --name, for example: npx kestrel create-admin --email admin@council.example --name "Alex Admin"')
    return 2
  }
  const provided = process.env.KESTREL_ADMIN_PASSWORD
  if (provided !== undefined && provided.length < PASSWORD_MIN) {
    console.error(`KESTREL_ADMIN_PASSWORD must be ${PASSWORD_MIN} characters or more.`)
    return 2
  }
  if (provided !== undefined && isTooEasyToGuess(provided, [values.email, values.name].filter((v): v is string => typeof v === 'string'))) {
    console.error('KESTREL_ADMIN_PASSWORD is too easy to guess. Use three or more random words, or leave it unset and Kestrel will generate one.')
    return 2
  }
  const password = provided ?? generateTemporaryPassword()
  const database = await openAndMigrate(config, 'create-admin')
  try {
    const result = await createAdministrator(database.db, { email: values.email, displayName: values.name, password, organisationName: values.organisation, now: new Date(), chainKey: currentChainKey(resolveEncryptionKeys(config, database.dataDir)) })
    console.log(`Administrator ${values.email} created${result.createdOrganisation ? ` for the new organisation "${values.organisation}"` : ''}.`)
    if (!provided) console.log(`Their password (shown once; it can be changed after signing in): ${password}`)
    return 0
  } finally {
    await database.close()
  }
}

async function auditVerify(config: Config): Promise<number> {
  const database = await openAndMigrate(config, 'audit verify')
  try {
    const reports = await verifyAuditChains(database.db, chainKeyring(resolveEncryptionKeys(config, database.dataDir)))
    let ok = true
    for (const r of reports) {
      ok &&= r.ok
      console.log(`Organisation ${r.organisationId}: ${describeChain(r)}`)
    }
    if (reports.length === 0) console.log('No organisations yet: nothing to verify.')
    return ok ? 0 : 1
  } finally {
    await database.close()
  }
}

main(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) process.exit(code)
  })
  .catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof DataDirError || error instanceof BackupError) {
      console.error(error.message)
      process.exit(1)
    }
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
