import autocannon, { type Request } from 'autocannon'
import { TestClient } from '../helpers/client.js'
import { completeConcernForm } from '../helpers/concern-form.js'
import { formsOn } from '../security/support/page-forms.js'
import type { BenchServerInfo } from './support/child-server.js'

/**
 * Load on loopback with autocannon: each connection is one person (their own signed-in session)
 * going round a realistic journey — raise a concern (form, check your answers, send), look at
 * the new concerns queue, open a case, its triage page, their own concerns and the dashboard.
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
  /** Latency by step of the journey (measured from when the request was set up). */
  steps: Record<string, { count: number; p50: number; p95: number; p99: number }>
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** Runs the journey with `connections` people for `seconds`. */
export async function journeys(info: BenchServerInfo, sessions: Session[], connections: number, seconds: number): Promise<LoadFigures> {
  const acknowledged: string[] = []
  let next = 0
  const person = (context: Record<string, unknown>): Session => (context.session ??= sessions[next++ % sessions.length]!) as Session
  const pick = () => info.concernIds[Math.floor(Math.random() * info.concernIds.length)]!
  const get = (path: string | (() => string)): Request => ({
    method: 'GET',
    setupRequest: (request, context) => ({ ...request, path: typeof path === 'string' ? path : path(), headers: { cookie: person(context).cookie } }),
  })
  const requests: Request[] = [
    get('/concerns/new'),
    {
      method: 'POST',
      setupRequest: (request, context) => ({ ...request, path: '/concerns/new', headers: { cookie: person(context).cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: person(context).form }),
    },
    {
      ...get('/concerns/new/check'),
      onResponse: (_status, body, context) => {
        context.key = /name="submissionKey" value="([^"]+)"/.exec(body)?.[1]
      },
    },
    {
      method: 'POST',
      setupRequest: (request, context) => ({
        ...request,
        path: '/concerns/new/check',
        headers: { cookie: person(context).cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ submissionKey: String(context.key ?? ''), _csrf: person(context).token }).toString(),
      }),
      onResponse: (status, _body, _context, headers) => {
        const id = /^\/concerns\/([0-9a-f-]{36})\/confirmation$/.exec(headers?.location ?? headers?.Location ?? '')?.[1]
        if (status === 303 && id) acknowledged.push(id)
      },
    },
    get('/queue'),
    get(() => `/concerns/${pick()}`),
    get(() => `/concerns/${pick()}/allocate`),
    get('/my-concerns'),
    get('/reports'),
  ]
  // Time each step: from setting the request up to its answer.
  const stepTimes: Record<string, number[]> = {}
  const names = ['GET the concern form', 'POST the concern form', 'GET check your answers', 'POST send the concern', 'GET the new concerns queue', 'GET a case', 'GET its triage page', 'GET your concerns', 'GET the dashboard']
  for (const [i, request] of requests.entries()) {
    const name = names[i]!
    const setup = request.setupRequest!
    const onResponse = request.onResponse
    stepTimes[name] = []
    request.setupRequest = (req, context) => {
      context.started = performance.now()
      return setup(req, context)
    }
    request.onResponse = (status, body, context, headers) => {
      stepTimes[name]!.push(performance.now() - (context.started as number))
      onResponse?.(status, body, context, headers)
    }
  }
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  const instance = autocannon({ url: info.url, connections, duration: seconds, timeout: 30, requests })
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime)
    statuses[status] = (statuses[status] ?? 0) + 1
  })
  const result = await instance
  latencies.sort((a, b) => a - b)
  const errors = result.errors + result.timeouts + Object.entries(statuses).filter(([s]) => Number(s) >= 400).reduce((n, [, c]) => n + c, 0)
  return {
    connections,
    seconds,
    requests: latencies.length,
    perSecond: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    statuses,
    acknowledged,
    pagesP95: percentile(
      Object.entries(stepTimes)
        .filter(([name]) => name !== 'GET the dashboard')
        .flatMap(([, times]) => times)
        .sort((a, b) => a - b),
      95,
    ),
    steps: Object.fromEntries(
      Object.entries(stepTimes).map(([name, times]) => {
        const sorted = [...times].sort((a, b) => a - b)
        return [name, { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) }]
      }),
    ),
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
