import path from 'node:path'
import { z } from 'zod'
import { parseKey, type EncryptionKeys } from './services/secret-box.js'

/** Everything the process reads from its environment, parsed once at start-up. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_OWNER_URL: z.string().url().optional(),
  KESTREL_DATA_DIR: z.string().default('./data'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KESTREL_ENCRYPTION_KEY: z.string().optional(),
  KESTREL_ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
  KESTREL_BACKUP_DIR: z.string().optional(),
  KESTREL_BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(7),
  KESTREL_NIGHTLY_BACKUP: z.enum(['on', 'off']).default('on'),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().min(3).optional(),
  NOTIFY_API_BASE_URL: z.string().url().default('https://api.notifications.service.gov.uk'),
})

export interface Config {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  /**
   * PostgreSQL: `url` is the application's role; `ownerUrl`, when set, the role that owns the
   * tables and runs migrations, so the application cannot alter tables or drop their triggers.
   */
  database: { kind: 'postgres'; url: string; ownerUrl?: string } | { kind: 'pglite'; dataDir: string }
  sessionSecret: string
  sessionIdleMs: number
  sessionAbsoluteMs: number
  /** Secure + __Host- cookie. On in production (behind TLS); plain HTTP on a laptop cannot carry it. */
  secureCookies: boolean
  trustProxy: string | boolean
  logLevel: string
  /**
   * Encrypts authenticator secrets at rest (KESTREL_ENCRYPTION_KEY, required in production).
   * Outside production, when unset, the server uses a key kept in the embedded data folder.
   */
  encryptionKeys?: EncryptionKeys
  /** Nightly backups of the embedded database: where, how many to keep, and whether to run them. */
  backup: { dir: string; keep: number; nightly: boolean }
  /** Where people reach Kestrel: the start of every link in an email. */
  publicUrl: string
  /** SMTP_URL (smtp:// or smtps://, with credentials if needed), the From address, and GOV.UK Notify's API. */
  email: { smtpUrl: string | null; from: string; notifyBaseUrl: string }
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new ConfigError(`Invalid configuration: ${problems}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  if (production && !e.SESSION_SECRET) {
    throw new ConfigError('SESSION_SECRET must be set (at least 32 characters) when NODE_ENV=production')
  }
  if (production && !e.KESTREL_ENCRYPTION_KEY) {
    throw new ConfigError('KESTREL_ENCRYPTION_KEY must be set when NODE_ENV=production (32 random bytes in base64: openssl rand -base64 32)')
  }
  if (e.DATABASE_OWNER_URL && !e.DATABASE_URL) {
    throw new ConfigError('DATABASE_OWNER_URL is set without DATABASE_URL: set DATABASE_URL to the application’s own role on the same PostgreSQL database')
  }
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, ...(e.DATABASE_OWNER_URL ? { ownerUrl: e.DATABASE_OWNER_URL } : {}) }
      : { kind: 'pglite', dataDir: path.resolve(e.KESTREL_DATA_DIR) },
    // Outside production a per-process random secret is fine: sessions live in the database
    // but a restart of a laptop demo simply signs people out.
    sessionSecret: e.SESSION_SECRET ?? randomSecret(),
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    secureCookies: e.SECURE_COOKIES ? e.SECURE_COOKIES === 'true' : production,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    ...(e.KESTREL_ENCRYPTION_KEY ? { encryptionKeys: encryptionKeys(e.KESTREL_ENCRYPTION_KEY, e.KESTREL_ENCRYPTION_KEY_PREVIOUS) } : {}),
    // By default beside the data folder (./data → ./backups), never inside it.
    backup: { dir: path.resolve(e.KESTREL_BACKUP_DIR ?? (e.DATABASE_URL ? 'backups' : path.join(path.dirname(path.resolve(e.KESTREL_DATA_DIR)), 'backups'))), keep: e.KESTREL_BACKUP_KEEP, nightly: e.KESTREL_NIGHTLY_BACKUP === 'on' },
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    email: { smtpUrl: e.SMTP_URL ?? null, from: e.EMAIL_FROM ?? 'Kestrel <kestrel@localhost>', notifyBaseUrl: e.NOTIFY_API_BASE_URL.replace(/\/+$/, '') },
  }
  return { ...config, ...overrides }
}

function encryptionKeys(current: string, previous: string | undefined): EncryptionKeys {
  try {
    return {
      current: parseKey(current, 'KESTREL_ENCRYPTION_KEY'),
      previous: (previous ?? '').split(',').filter((k) => k.trim() !== '').map((k) => parseKey(k, 'KESTREL_ENCRYPTION_KEY_PREVIOUS')),
    }
  } catch (error) {
    throw new ConfigError((error as Error).message)
  }
}

function parseTrustProxy(value: string | undefined): string | boolean {
  if (value === undefined || value === '' || value === 'false') return false
  if (value === 'true') return true
  return value
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
}
