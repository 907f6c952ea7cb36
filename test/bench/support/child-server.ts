import { spawn, type ChildProcess } from 'node:child_process'
import { projectRoot } from '../../../src/project-root.js'
import { TEST_ENCRYPTION_KEY } from '../../helpers/app.js'
import { bundleEntry } from '../../helpers/server-bundle.js'

export interface BenchServerInfo {
  url: string
  startMs: number
  readyMs: number
  password: string
  workers: number
  victims: number
  concernIds: string[]
  engine: string
}

export interface BenchServer {
  info: BenchServerInfo
  /** From spawning the process to it listening (what an operator waits), seeding aside. */
  spawnToListeningMs: number
  child: ChildProcess
  stop(): Promise<void>
}

let script: Promise<string> | undefined

/** Kestrel in production mode (plain HTTP on loopback) as a child process, on PGlite or PostgreSQL. */
export async function startBenchServer(target: { dataDir: string } | { databaseUrl: string }, env: Record<string, string> = {}): Promise<BenchServer> {
  script ??= bundleEntry('test/bench/support/bench-server.ts', 'bench-server')
  const file = await script
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SECURE_COOKIES: 'false',
    TRUST_PROXY: 'loopback',
    SESSION_SECRET: 'bench-session-secret-that-is-long-enough',
    KESTREL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    KESTREL_NIGHTLY_BACKUP: 'off',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...('dataDir' in target ? { KESTREL_DATA_DIR: target.dataDir } : { DATABASE_URL: target.databaseUrl }),
    ...env,
  }
  if ('dataDir' in target) delete childEnv.DATABASE_URL
  delete childEnv.NODE_TEST_CONTEXT
  const spawned = performance.now()
  // BENCH_CPU_PROF=<folder> writes a V8 CPU profile of the server there when it stops.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  const child = spawn(process.execPath, [...profile, file], { cwd: projectRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let spawnToListeningMs = 0
  const info = await new Promise<BenchServerInfo>((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (d) => (err += d))
    child.stdout!.on('data', (d) => {
      out += d
      for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
        const message = JSON.parse(line) as BenchServerInfo & { listening?: boolean }
        if (message.listening) spawnToListeningMs ||= Math.round(performance.now() - spawned)
        else resolve(message)
      }
    })
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code}): ${err}`)))
  })
  return {
    info,
    spawnToListeningMs,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
