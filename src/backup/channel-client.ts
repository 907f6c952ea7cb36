import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream } from 'node:stream/web'
import { BackupError, readArchive } from './archive.js'
import { CHANNEL_FILE, type ChannelInfo } from './channel.js'

/** The client side: asks the server holding `dataDir` for a backup and saves it, checked, to `output`. */
export async function backupThroughServer(dataDir: string, output: string): Promise<void> {
  let info: ChannelInfo
  try {
    info = JSON.parse(fs.readFileSync(path.join(dataDir, CHANNEL_FILE), 'utf8')) as ChannelInfo
  } catch {
    throw new BackupError(`The data folder ${dataDir} is in use, but the process using it offers no backup channel. Stop it and run "kestrel backup" again, or use a Kestrel server of this version.`)
  }
  let response: Response
  try {
    response = await fetch(`http://127.0.0.1:${info.port}/backup`, { method: 'POST', headers: { authorization: `Bearer ${info.token}` } })
  } catch {
    throw new BackupError(`The Kestrel server using ${dataDir} (process ${info.pid}) did not answer on its backup channel. Check that it is running, or stop it and run "kestrel backup" again.`)
  }
  if (response.status !== 200 || !response.body) {
    throw new BackupError(`The running server refused the backup: ${(await response.text()).slice(0, 300)}`)
  }
  fs.mkdirSync(path.dirname(output), { recursive: true })
  const partial = `${output}.partial`
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream), fs.createWriteStream(partial, { mode: 0o600 }))
    await readArchive(partial)
    fs.renameSync(partial, output)
  } catch (error) {
    fs.rmSync(partial, { force: true })
    throw error
  }
}
