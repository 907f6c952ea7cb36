import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export class DataDirLockedError extends Error {}

interface LockInfo {
  pid: number
  hostname: string
  startedAt: string
  purpose: string
}

/**
 * Two processes on one PGlite folder corrupt it silently, so whoever opens the folder first holds
 * an exclusive lock file. A lock left by a process that no longer exists (kill -9, power cut) is
 * taken over; a live holder makes the newcomer refuse with a clear message.
 */
export function acquireDataDirLock(dataDir: string, purpose: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, 'kestrel.lock')
  const info: LockInfo = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString(), purpose }

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(info), { flag: 'wx', mode: 0o600 })
      let released = false
      return () => {
        if (released) return
        released = true
        try {
          const current = readLock(lockPath)
          if (current?.pid === process.pid) fs.unlinkSync(lockPath)
        } catch {
          // already gone
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = readLock(lockPath)
      if (holder && holder.hostname === os.hostname() && !isAlive(holder.pid)) {
        fs.unlinkSync(lockPath) // stale: its process is gone
        continue
      }
      const who = holder ? `process ${holder.pid} (${holder.purpose}, since ${holder.startedAt})` : 'another process'
      throw new DataDirLockedError(
        `The data folder ${dataDir} is in use by ${who}. ` +
          'Only one Kestrel process may use an embedded data folder at a time: stop the other one first ' +
          '(or, for a backup, use "kestrel backup" against the running server).',
      )
    }
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dataDir}`)
}

function readLock(lockPath: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockInfo
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
