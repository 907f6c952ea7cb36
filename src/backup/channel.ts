import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Clock } from '../context.js'
import type { Database } from '../db/connect.js'
import type { Logger } from '../logger.js'
import { writeEmbeddedBackup } from './write-backup.js'
import type { ChainKey } from '../domain/audit-hash.js'
import { recordBackup } from '../services/backup-audit.js'

/**
 * While a server holds an embedded data folder, nothing else may open it, so `kestrel backup`
 * asks the server to make the backup. The channel is a second HTTP listener bound to loopback
 * only (never the public port, untouched by TRUST_PROXY), answering one request: POST /backup
 * with the bearer token the server wrote to a 0600 file in the data folder. Reading that file
 * needs the same operating-system account as the server, which could read the data folder anyway.
 */
export const CHANNEL_FILE = 'kestrel-backup-channel.json'

export interface ChannelInfo {
  pid: number
  port: number
  token: string
}

export interface BackupChannel {
  port: number
  /** Stops accepting and waits for a backup in progress to be sent. */
  close(): Promise<void>
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}

export async function openBackupChannel(database: Database, logger: Logger, clock: Clock, chainKey: ChainKey | null): Promise<BackupChannel> {
  const dataDir = database.dataDir!
  const token = randomBytes(32).toString('base64url')
  const expected = digest(token)
  let busy = false

  const server = http.createServer((req, res) => {
    const refuse = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      res.end(message)
    }
    const auth = req.headers.authorization ?? ''
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : ''
    if (!isLoopback(req.socket.remoteAddress) || !timingSafeEqual(digest(given), expected)) return refuse(403, 'Not allowed')
    if (req.method !== 'POST' || req.url !== '/backup') return refuse(404, 'Not found')
    if (busy) return refuse(409, 'A backup is already being made. Wait for it to finish.')
    busy = true
    const started = Date.now()
    logger.info('Backup requested through the backup channel')
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kestrel-backup-'))
    const file = path.join(temp, 'backup.tar')
    const now = clock.now()
    writeEmbeddedBackup(database, file, now)
      .then((manifest) => recordBackup(database, chainKey, file, manifest, 'running server', now))
      .then(async () => {
        res.writeHead(200, { 'content-type': 'application/x-tar', 'content-length': String(fs.statSync(file).size), 'cache-control': 'no-store' })
        await pipeline(fs.createReadStream(file), res)
        logger.info({ ms: Date.now() - started, bytes: fs.statSync(file).size }, 'Backup sent to kestrel backup')
      })
      .catch((error: unknown) => {
        logger.error({ err: { message: (error as Error).message } }, 'Backup through the channel failed')
        if (!res.headersSent) refuse(500, 'The backup failed; see the server log.')
        else res.destroy()
      })
      .finally(() => {
        busy = false
        fs.rmSync(temp, { recursive: true, force: true })
      })
  })
  server.requestTimeout = 0 // a large backup may take a while to make

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const channelFile = path.join(dataDir, CHANNEL_FILE)
  const partial = `${channelFile}.${process.pid}`
  fs.writeFileSync(partial, JSON.stringify({ pid: process.pid, port, token } satisfies ChannelInfo), { mode: 0o600 })
  fs.renameSync(partial, channelFile)

  let closing: Promise<void> | undefined
  return {
    port,
    close: () =>
      (closing ??= (async () => {
        try {
          const current = JSON.parse(fs.readFileSync(channelFile, 'utf8')) as ChannelInfo
          if (current.pid === process.pid && current.port === port) fs.unlinkSync(channelFile)
        } catch {
          // already gone
        }
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        await closed
      })()),
  }
}
