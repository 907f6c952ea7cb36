import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../../src/project-root.js'

/**
 * The real command line, as a separate process: `node --import tsx src/cli.ts …` with its own
 * environment, so data-folder locks, exit codes and signals behave as they do for a user.
 */
export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** A fresh, empty folder for one test's embedded database; removed by the caller. */
export function tempDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kestrel-${label}-`))
}

/** The environment a user would have: no DATABASE_URL (the embedded database), quiet logs. */
export function cliEnv(dataDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KESTREL_DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', ...extra }
  delete env.DATABASE_URL
  delete env.TEST_DATABASE_URL
  delete env.DATABASE_OWNER_URL
  delete env.NODE_TEST_CONTEXT // a child of node:test must not think it is a test file itself
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k]
  return env
}

/** What `npm start` needs in production (test-only secrets; plain HTTP, so no Secure cookie). */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-session-secret-for-tests-only',
  KESTREL_ENCRYPTION_KEY: 'GZ/he9asLpewz/lpC6FWpzyNOWp3SQTJfblzu6g4qrU=',
  SECURE_COOKIES: 'false',
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'cli.ts'), ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  return finished(spawnCli(args, env), timeoutMs)
}

/** Collects a child's output until it exits (killing it if it outlives the timeout). */
export function finished(child: ChildProcess, timeoutMs = 120_000): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += d))
  child.stderr!.on('data', (d) => (stderr += d))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`kestrel did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, timeoutMs)
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      // Let the pipes drain before reporting.
      setImmediate(() => resolve({ code, signal, stdout, stderr }))
    })
  })
}

export interface RunningCliServer {
  child: ChildProcess
  url: string
  /** Resolves with the result when the process exits. */
  exited: Promise<CliResult>
}

/** Starts `kestrel serve` (or `demo`) and waits until it says where it is listening. */
export async function startCliServer(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunningCliServer> {
  const child = spawnCli(args, { ...env, LOG_LEVEL: 'info' })
  const exited = finished(child, 10 * 60_000)
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`kestrel did not start within ${timeoutMs} ms: ${seen}`)), timeoutMs)
    child.stdout!.on('data', (d) => {
      seen += d
      // `serve` logs JSON with the url; `demo` prints "Kestrel is running at <url>".
      const match = /"url":"(http:\/\/[^"]+)"/.exec(seen) ?? /Kestrel is running at (http:\/\/\S+)/.exec(seen)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    exited.then(
      (r) => {
        clearTimeout(timer)
        reject(new Error(`kestrel exited before it was ready (code ${r.code}): ${r.stdout}\n${r.stderr}`))
      },
      () => {},
    )
  })
  return { child, url, exited }
}
