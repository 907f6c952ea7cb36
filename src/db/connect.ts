import fs from 'node:fs'
import path from 'node:path'
import { Kysely, PostgresDialect, type PostgresPoolClient } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { acquireDataDirLock } from './data-dir-lock.js'
import { isReportWork, PageTraffic } from './page-traffic.js'
import type { DB } from './schema.js'

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob }
  | { kind: 'postgres'; url: string; maxConnections?: number; onIdleError?: (error: Error) => void }

export interface Database {
  db: Kysely<DB>
  engine: 'pglite' | 'postgres'
  /** Present for the embedded engine: the folder it lives in. */
  dataDir?: string
  pglite?: PGlite
  /** Embedded engine only: pages in progress, which report work gives way to (page-traffic.ts). */
  pages?: PageTraffic
  /** Flush to disk; a no-op on a PostgreSQL server, which owns its own durability. */
  checkpoint(): Promise<void>
  close(): Promise<void>
}

export class DataDirError extends Error {}

const MARKER = 'kestrel-data.json'
/** The file that marks a folder Kestrel created (restore writes it last). */
export const DATA_FOLDER_MARKER = MARKER

/** Shared type parsing for both engines: dates as strings, counts as numbers. */
function typeOverrides(): pg.CustomTypesConfig {
  const overrides = new (pg as unknown as { TypeOverrides: new () => pg.CustomTypesConfig & { setTypeParser(oid: number, fn: (v: string) => unknown): void } }).TypeOverrides()
  overrides.setTypeParser(1082, (v: string) => v) // date → 'YYYY-MM-DD'
  overrides.setTypeParser(20, (v: string) => Number(v)) // bigint (count(*)) → number; our bigints stay far below 2^53
  return overrides
}

export async function openDatabase(target: DatabaseTarget, purpose = 'server'): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target.url, target.maxConnections ?? 10, target.onIdleError)
  if (target.kind === 'pglite-memory') {
    const pglite = await PGlite.create({ extensions: { pg_trgm }, ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}) })
    return wrapPglite(pglite, undefined, () => {})
  }
  return openPgliteFolder(target.dataDir, purpose)
}

async function openPostgres(url: string, max: number, onIdleError: (error: Error) => void = () => {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, types: typeOverrides() })
  // An idle connection can be cut by the server (restart, failover, pg_terminate_backend). The
  // pool drops that connection and opens a new one for the next query; without a listener the
  // 'error' event would crash the process.
  pool.on('error', onIdleError)
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  let closing: Promise<void> | undefined
  return {
    db,
    engine: 'postgres',
    checkpoint: async () => {},
    close: () => (closing ??= destroy(db, pool)),
  }
}

/**
 * Kysely only ends the pool if it ever made a query; ending it here as well makes a query after
 * close fail cleanly instead of reaching a closed engine.
 */
async function destroy(db: Kysely<DB>, pool: pg.Pool): Promise<void> {
  await db.destroy()
  if (!pool.ending) await pool.end()
}

async function openPgliteFolder(dataDir: string, purpose: string): Promise<Database> {
  const release = acquireDataDirLock(dataDir, purpose)
  try {
    const pgdata = path.join(dataDir, 'pgdata')
    checkDataFolder(dataDir, pgdata)
    const fresh = !fs.existsSync(pgdata)
    const pglite = await PGlite.create(pgdata, { extensions: { pg_trgm } })
    if (fresh) {
      fs.writeFileSync(path.join(dataDir, MARKER), JSON.stringify({ createdAt: new Date().toISOString(), engine: 'pglite' }))
    }
    return wrapPglite(pglite, dataDir, release)
  } catch (error) {
    release()
    throw error
  }
}

/** Refuse to touch a folder that looks half-made or damaged: never initialise over data. */
function checkDataFolder(dataDir: string, pgdata: string): void {
  const hasMarker = fs.existsSync(path.join(dataDir, MARKER))
  const hasPgdata = fs.existsSync(pgdata)
  if (!hasMarker && !hasPgdata) return
  if (hasMarker && !hasPgdata) {
    throw new DataDirError(
      `The data folder ${dataDir} is missing its database (pgdata). Restore it from a backup ("kestrel restore"); Kestrel will not create an empty database over it.`,
    )
  }
  if (!hasMarker && hasPgdata) {
    throw new DataDirError(
      `The data folder ${dataDir} holds an unfinished or foreign database (no ${MARKER}). Move it aside or restore a backup.`,
    )
  }
  for (const required of ['PG_VERSION', 'global/pg_control', 'base']) {
    if (!fs.existsSync(path.join(pgdata, required))) {
      throw new DataDirError(
        `The data folder ${dataDir} is damaged (${required} is missing). Restore it from a backup ("kestrel restore").`,
      )
    }
  }
}

function wrapPglite(pglite: PGlite, dataDir: string | undefined, release: () => void): Database {
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types: typeOverrides() } as pg.PoolConfig)
  const pages = new PageTraffic()
  // One connection: report work takes it one statement at a time, in the gaps between pages.
  const pageFirst = {
    connect: async (): Promise<PostgresPoolClient> => {
      if (!isReportWork()) return pool.connect()
      const done = await pages.reportTurn()
      try {
        const client = await pool.connect()
        return { query: client.query.bind(client) as PostgresPoolClient['query'], release: () => (done(), client.release()) }
      } catch (error) {
        done()
        throw error
      }
    },
    end: () => pool.end(),
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pageFirst }) })
  let closed = false
  return {
    db,
    engine: 'pglite',
    pglite,
    pages,
    ...(dataDir ? { dataDir } : {}),
    checkpoint: async () => {
      await pglite.exec('CHECKPOINT')
    },
    close: async () => {
      if (closed) return
      closed = true
      try {
        await destroy(db, pool)
        await pglite.exec('CHECKPOINT').catch(() => {})
        await pglite.close()
      } finally {
        release()
      }
    },
  }
}
