import autocannon, { type Request } from 'autocannon'
import { TestClient } from '../helpers/client.js'
import { completeConcernForm } from '../helpers/concern-form.js'
import { formsOn } from '../security/support/page-forms.js'
import type { BenchServerInfo } from './support/child-server.js'

/**
 * Load on loopback: each person (their own signed-in session) goes round a realistic journey —
 * raise a concern (form, check your answers, send), look at the new concerns queue, open a case,
 * its triage page, their own concerns and the dashboard. Twice over: with autocannon and no
 * pauses (saturation), and with fetch and a person's think time between steps (realistic).
 * Every concern Kestrel acknowledges (the confirmation it redirects to) goes in a ledger kept
 * here, so the run can check afterwards that each one exists.
 */
export interface Session {
  cookie: string
  token: string
  form: string
}

/** Signs people in (one session each), as the load's users. */
export async function signInUsers(info: BenchServerInfo, count: number): Promise<Session[]> {
  const sessions: Session[] = []
  for (let i = 0; i < count; i++) {
    const client = new TestClient(info.url)
    await client.get('/sign-in')
    const signedIn = await client.post('/sign-in', { email: `worker${i % info.workers}@bench.example`, password: info.password })
    if (signedIn.status !== 303) throw new Error(`worker${i} could not sign in: ${signedIn.status}`)
    const page = await client.get('/concerns/new')
    const form = formsOn(page).find((f) => f.action === '/concerns/new')!
    const serviceIds = form.controls.filter((c) => c.name === 'serviceId').flatMap((c) => (c.kind === 'select' ? c.options : [c.value])).filter((v) => /^[0-9a-f-]{36}$/.test(v))
    const answers = new URLSearchParams()
    for (const [k, v] of Object.entries(completeConcernForm({ id: '', name: '', services: serviceIds.map((id) => ({ id, name: '' })) }))) for (const x of Array.isArray(v) ? v : [v]) answers.append(k, x)
    answers.set('_csrf', client.lastCsrfToken!)
    sessions.push({ cookie: `kestrel=${client.sessionCookie}`, token: client.lastCsrfToken!, form: answers.toString() })
  }
  return sessions
}

export interface LoadFigures {
  connections: number
  seconds: number
  requests: number
  perSecond: number
  p50: number
  p95: number
  p99: number
  errors: number
  statuses: Record<string, number>
  acknowledged: string[]
  /** p95 of every step but the dashboard (report work gives way to pages on the embedded database). */
  pagesP95: number
  /** Latency by step of the journey (autocannon: from when the request was set up; with think time: from sending to the whole answer read). */
  steps: Record<string, { count: number; p50: number; p95: number; p99: number }>
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** One step of the journey, the same for both drivers (autocannon and the think-time one). */
interface Step {
  name: string
  method: 'GET' | 'POST'
  path: (info: BenchServerInfo) => string
  /** The form it posts for one person; `key` is the submission key from their check page. */
  body?: (session: Session, key: string | undefined) => string
  /** What the journey takes from the answer: the check page's submission key, or the acknowledgement of a sent concern. */
  reads?: 'submission key' | 'acknowledgement'
}

const DASHBOARD = 'GET the dashboard'
const anyConcern = (info: BenchServerInfo) => info.concernIds[Math.floor(Math.random() * info.concernIds.length)]!
const STEPS: Step[] = [
  { name: 'GET the concern form', method: 'GET', path: () => '/concerns/new' },
  { name: 'POST the concern form', method: 'POST', path: () => '/concerns/new', body: (session) => session.form },
  { name: 'GET check your answers', method: 'GET', path: () => '/concerns/new/check', reads: 'submission key' },
  {
    name: 'POST send the concern',
    method: 'POST',
    path: () => '/concerns/new/check',
    body: (session, key) => new URLSearchParams({ submissionKey: key ?? '', _csrf: session.token }).toString(),
    reads: 'acknowledgement',
  },
  { name: 'GET the new concerns queue', method: 'GET', path: () => '/queue' },
  { name: 'GET a case', method: 'GET', path: (info) => `/concerns/${anyConcern(info)}` },
  { name: 'GET its triage page', method: 'GET', path: (info) => `/concerns/${anyConcern(info)}/allocate` },
  { name: 'GET your concerns', method: 'GET', path: () => '/my-concerns' },
  { name: DASHBOARD, method: 'GET', path: () => '/reports' },
]

/** What one person carries from step to step: the submission key their check page gave them. */
interface Round {
  key?: string
}

function headersFor(step: Step, session: Session): Record<string, string> {
  return step.body ? { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' } : { cookie: session.cookie }
}

/** Takes what the journey needs from an answer; a 303 to a confirmation page is an acknowledged concern. */
function readAnswer(step: Step, status: number, body: string, location: string | undefined, round: Round, acknowledged: string[]): void {
  if (step.reads === 'submission key') round.key = /name="submissionKey" value="([^"]+)"/.exec(body)?.[1]
  if (step.reads === 'acknowledgement') {
    const id = /^\/concerns\/([0-9a-f-]{36})\/confirmation$/.exec(location ?? '')?.[1]
    if (status === 303 && id) acknowledged.push(id)
  }
}

const sortedCopy = (values: number[]) => [...values].sort((a, b) => a - b)

/** What both drivers measured, as the figures run.ts prints. */
interface Measured {
  connections: number
  seconds: number
  /** The wall-clock time the run took, for the rate. */
  elapsedSeconds: number
  latencies: number[]
  stepTimes: Record<string, number[]>
  statuses: Record<string, number>
  /** Answers of 400 and over are added to these. */
  failures: number
  acknowledged: string[]
}

function figures(m: Measured): LoadFigures {
  const latencies = sortedCopy(m.latencies)
  const errors = m.failures + Object.entries(m.statuses).filter(([s]) => Number(s) >= 400).reduce((n, [, c]) => n + c, 0)
  const pages = sortedCopy(Object.entries(m.stepTimes).flatMap(([name, times]) => (name === DASHBOARD ? [] : times)))
  return {
    connections: m.connections,
    seconds: m.seconds,
    requests: latencies.length,
    perSecond: latencies.length / m.elapsedSeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    statuses: m.statuses,
    acknowledged: m.acknowledged,
    pagesP95: percentile(pages, 95),
    steps: Object.fromEntries(
      Object.entries(m.stepTimes).map(([name, times]) => {
        const sorted = sortedCopy(times)
        return [name, { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) }]
      }),
    ),
  }
}

const emptyStepTimes = (): Record<string, number[]> => Object.fromEntries(STEPS.map((step) => [step.name, []]))

/** Runs the journey with `connections` people for `seconds`, without pauses (saturation). */
export async function journeys(info: BenchServerInfo, sessions: Session[], connections: number, seconds: number): Promise<LoadFigures> {
  const acknowledged: string[] = []
  let next = 0
  const person = (context: Record<string, unknown>): Session => (context.session ??= sessions[next++ % sessions.length]!) as Session
  const round = (context: Record<string, unknown>): Round => (context.round ??= {}) as Round
  // Time each step: from setting the request up to its answer.
  const stepTimes = emptyStepTimes()
  const requests: Request[] = STEPS.map((step) => ({
    method: step.method,
    setupRequest: (request, context) => {
      context.started = performance.now()
      const session = person(context)
      return { ...request, path: step.path(info), headers: headersFor(step, session), ...(step.body ? { body: step.body(session, round(context).key) } : {}) }
    },
    onResponse: (status, body, context, headers) => {
      stepTimes[step.name]!.push(performance.now() - (context.started as number))
      readAnswer(step, status, body, headers?.location ?? headers?.Location, round(context), acknowledged)
    },
  }))
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  const instance = autocannon({ url: info.url, connections, duration: seconds, timeout: 30, requests })
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime)
    statuses[status] = (statuses[status] ?? 0) + 1
  })
  const result = await instance
  return figures({ connections, seconds, elapsedSeconds: result.duration, latencies, stepTimes, statuses, failures: result.errors + result.timeouts, acknowledged })
}

/** A person's pause between steps, in ms: reading a page and filling in a form takes officers seconds, not nothing. */
export const THINK_MS = { min: 1000, max: 3000 }
const thinkTime = () => THINK_MS.min + Math.random() * (THINK_MS.max - THINK_MS.min)
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)))

/**
 * The same journey with `users` people (the first of `sessions`) who each pause THINK_MS between
 * steps, for `seconds`. autocannon cannot pause per step, so each person is a loop of fetches.
 * At the end nobody starts a new step; requests in flight finish and are counted.
 */
export async function journeysWithThinkTime(info: BenchServerInfo, sessions: Session[], users: number, seconds: number): Promise<LoadFigures> {
  const m: Measured = { connections: users, seconds, elapsedSeconds: 0, latencies: [], stepTimes: emptyStepTimes(), statuses: {}, failures: 0, acknowledged: [] }
  const started = performance.now()
  const deadline = started + seconds * 1000
  const person = async (session: Session) => {
    const round: Round = {}
    // A first pause too, so the people do not all arrive in the same millisecond.
    await pause(Math.min(thinkTime(), deadline - performance.now()))
    while (performance.now() < deadline) {
      for (const step of STEPS) {
        if (performance.now() >= deadline) return
        await timedStep(info, step, session, round, m)
        await pause(Math.min(thinkTime(), deadline - performance.now()))
      }
    }
  }
  await Promise.all(sessions.slice(0, users).map(person))
  m.elapsedSeconds = (performance.now() - started) / 1000
  return figures(m)
}

/** One step with fetch, timed from sending to having read the whole answer. */
async function timedStep(info: BenchServerInfo, step: Step, session: Session, round: Round, m: Measured): Promise<void> {
  const sent = performance.now()
  try {
    const answer = await fetch(`${info.url}${step.path(info)}`, {
      method: step.method,
      headers: headersFor(step, session),
      ...(step.body ? { body: step.body(session, round.key) } : {}),
      redirect: 'manual',
      // As autocannon's timeout in the saturation run.
      signal: AbortSignal.timeout(30_000),
    })
    const body = await answer.text()
    const ms = performance.now() - sent
    m.latencies.push(ms)
    m.stepTimes[step.name]!.push(ms)
    m.statuses[answer.status] = (m.statuses[answer.status] ?? 0) + 1
    readAnswer(step, answer.status, body, answer.headers.get('location') ?? undefined, round, m.acknowledged)
  } catch {
    // A network error or a timeout: counted as an error, not as a latency (as autocannon does).
    m.failures++
  }
}

/** One page as fast as it goes with a fixed number of connections (for the page ÷ template ratio). */
export async function pageRate(info: BenchServerInfo, session: Session, path: string, connections: number, seconds: number): Promise<{ perSecond: number; p50: number; non200: number }> {
  const result = await autocannon({ url: `${info.url}${path}`, connections, duration: seconds, headers: { cookie: session.cookie } })
  return { perSecond: result.requests.total / result.duration, p50: result.latency.p50 ?? NaN, non200: result.non2xx + result.errors }
}

/**
 * Sign-in answers for an unknown address and for a known one with the wrong password,
 * alternating, each from its own network address (so throttling does not mix in).
 */
export async function signInTiming(info: BenchServerInfo, attempts: number): Promise<{ unknownMs: number[]; wrongMs: number[] }> {
  const unknownMs: number[] = []
  const wrongMs: number[] = []
  for (let i = 0; i < attempts; i++) {
    for (const kind of ['unknown', 'wrong'] as const) {
      const address = `10.${kind === 'unknown' ? 1 : 2}.${Math.floor(i / 250)}.${i % 250}`
      const client = new TestClient(info.url)
      const page = await client.request('GET', '/sign-in', { headers: { 'x-forwarded-for': address } })
      const token = page.$('input[name="_csrf"]').attr('value')!
      // Each known account takes at most four wrong passwords, well under its throttle.
      const email = kind === 'unknown' ? `nobody${i}@nowhere.example` : `victim${Math.floor(i / 4) % info.victims}@bench.example`
      const body = new URLSearchParams({ email, password: `not the password ${i}`, _csrf: token })
      const started = performance.now()
      const answer = await client.request('POST', '/sign-in', { body, headers: { 'x-forwarded-for': address } })
      const ms = performance.now() - started
      if (answer.status !== 400) throw new Error(`sign-in timing: expected 400, got ${answer.status}`)
      ;(kind === 'unknown' ? unknownMs : wrongMs).push(ms)
    }
  }
  return { unknownMs, wrongMs }
}
