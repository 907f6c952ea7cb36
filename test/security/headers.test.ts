import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { TestClient, type Page } from '../helpers/client.js'
import type { TestUser } from '../helpers/factories.js'
import { isPublic, label, mayUse, routesOf } from './support/app-routes.js'
import { visiblePaths } from './support/route-records.js'
import { buildWorld, type World } from './support/world.js'

/** The CSP header as directive → sources. */
function csp(page: Page): Map<string, string[]> {
  const header = page.headers.get('content-security-policy') ?? ''
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  )
}

/** What every HTML page must carry; returns the problems found. */
function headerProblems(page: Page, options: { signedIn: boolean }): string[] {
  const problems: string[] = []
  const policy = csp(page)
  const all = [...policy.values()].flat()
  if (policy.size === 0) problems.push('no Content-Security-Policy')
  if (all.includes("'unsafe-inline'") || all.includes("'unsafe-eval'")) problems.push(`CSP allows unsafe sources: ${page.headers.get('content-security-policy')}`)
  if (policy.get('frame-ancestors')?.join(' ') !== "'none'") problems.push('CSP frame-ancestors is not none')
  if (policy.get('object-src')?.join(' ') !== "'none'") problems.push('CSP object-src is not none')
  if (policy.get('base-uri')?.join(' ') !== "'none'") problems.push('CSP base-uri is not none')
  if (!policy.get('default-src')?.every((s) => s === "'self'")) problems.push('CSP default-src is not self')
  const nonce = (policy.get('script-src') ?? []).find((s) => s.startsWith("'nonce-"))?.slice(7, -1)
  if (!nonce) problems.push('CSP script-src has no nonce')
  // Every inline script carries this response's nonce; no element has an inline event handler.
  page.$('script:not([src])').each((_, el) => {
    if (page.$(el).attr('nonce') !== nonce) problems.push('an inline script without the nonce')
  })
  page.$('*').each((_, el) => {
    for (const name of Object.keys((el as { attribs?: Record<string, string> }).attribs ?? {})) {
      if (/^on/i.test(name)) problems.push(`an inline ${name} handler`)
      if (name === 'style') problems.push('an inline style attribute (blocked by the CSP)')
    }
  })
  if (page.headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff')
  if (page.headers.get('referrer-policy') !== 'no-referrer') problems.push(`Referrer-Policy is ${page.headers.get('referrer-policy')}`)
  if (!page.headers.get('strict-transport-security')?.includes('max-age=')) problems.push('no Strict-Transport-Security')
  if (page.headers.get('x-powered-by')) problems.push('X-Powered-By is sent')
  if (page.headers.get('cross-origin-opener-policy') !== 'same-origin') problems.push('Cross-Origin-Opener-Policy is not same-origin')
  if (options.signedIn && !/\bno-store\b/.test(page.headers.get('cache-control') ?? '')) problems.push(`Cache-Control is "${page.headers.get('cache-control')}", not no-store`)
  for (const raw of page.headers.getSetCookie()) {
    if (!/;\s*HttpOnly/i.test(raw) || !/;\s*SameSite=Lax/i.test(raw)) problems.push(`cookie without HttpOnly and SameSite=Lax: ${raw.split('=')[0]}`)
    if (/;\s*(Expires|Max-Age)=/i.test(raw) && !/Expires=Thu, 01 Jan 1970/i.test(raw)) problems.push('a persistent session cookie')
  }
  return problems
}

describe('browser attacks: security headers and cookies on every page', () => {
  let world: World

  before(async () => {
    world = await buildWorld()
  })
  after(() => world?.app.stop())

  it('sends the security headers on every HTML response of every GET route, as every role that may open it', async () => {
    const problems: string[] = []
    let pages = 0
    const nonces = new Set<string>()
    for (const route of routesOf(world.app).filter((r) => r.method === 'get')) {
      const visitors = isPublic(route) ? [{ label: 'signed out', client: world.app.client(), signedIn: false }] : world.personas.filter((p) => mayUse(p, route)).map((p) => ({ label: p.label, client: p.client, signedIn: true }))
      for (const visitor of visitors) {
        const persona = world.personas.find((p) => p.label === visitor.label)
        for (const target of persona ? visiblePaths(route, persona, world).slice(0, 1) : [{ path: route.path.replace(/:[A-Za-z]+/g, 'x') }]) {
          const page = await visitor.client.get(target.path)
          if (!/text\/html/.test(page.headers.get('content-type') ?? '')) continue
          pages++
          nonces.add(csp(page).get('script-src')?.find((s) => s.startsWith("'nonce-")) ?? '')
          for (const p of headerProblems(page, { signedIn: visitor.signedIn })) problems.push(`${label(route)} as ${visitor.label} (${page.status}): ${p}`)
        }
      }
    }
    // Error pages: not found, forbidden, bad request, too large, expired form.
    const staff = world.persona('staff').client
    await staff.get('/')
    const errorPages: [string, Page][] = [
      ['not found', await staff.get('/no-such-page')],
      ['forbidden', await staff.get('/admin/users')],
      ['bad request', await staff.get('/concerns/%E0%A4%A')],
      ['too large', await staff.request('POST', '/concerns/new', { body: `_csrf=${staff.lastCsrfToken}&personName=${'x'.repeat(600_000)}` })],
      ['expired form', await staff.request('POST', '/concerns/new', { body: 'personName=x' })],
      ['signed-out not found', await world.app.client().get('/no-such-page')],
    ]
    for (const [name, page] of errorPages) {
      pages++
      for (const p of headerProblems(page, { signedIn: !name.startsWith('signed-out') })) problems.push(`${name} page (${page.status}): ${p}`)
    }
    assert.deepEqual(problems, [])
    assert.equal(nonces.size, pages - errorPages.length, 'every response has its own CSP nonce')
    console.log(`headers: ${pages} HTML responses checked (CSP, framing, nosniff, referrer, HSTS, no-store, cookies)`)
  })

  it('serves assets with nosniff and no session cookie', async () => {
    const home = await world.persona('staff').client.get('/')
    const css = home.$('link[rel="stylesheet"]').attr('href')!
    const asset = await world.app.client().get(css)
    assert.equal(asset.status, 200)
    assert.equal(asset.headers.get('x-content-type-options'), 'nosniff')
    assert.deepEqual(asset.headers.getSetCookie(), [])
  })
})

/** A client behind a TLS-terminating proxy: every request says it arrived over HTTPS. */
class ProxiedClient extends TestClient {
  override request(method: string, path: string, options: { body?: string | URLSearchParams; headers?: Record<string, string> } = {}): Promise<Page> {
    return super.request(method, path, { ...options, headers: { 'x-forwarded-proto': 'https', ...options.headers } })
  }
}

describe('browser attacks: the session cookie in production (secure cookies behind a proxy)', () => {
  let app: TestApp
  let user: TestUser

  before(async () => {
    app = await startTestApp({ config: { secureCookies: true, trustProxy: 'loopback' } })
    const org = await app.factories.organisation()
    user = await app.factories.user(org, ['dso'])
  })
  after(() => app?.stop())

  it('uses a __Host- cookie that is Secure, HttpOnly, SameSite=Lax, host-only and ends with the browser', async () => {
    const client = new ProxiedClient(app.url)
    const signInPage = await client.get('/sign-in')
    const signedIn = await client.post('/sign-in', { email: user.email, password: user.password, _csrf: signInPage.$('input[name="_csrf"]').attr('value')! })
    assert.equal(signedIn.status, 303)
    const cookies = signedIn.headers.getSetCookie()
    assert.equal(cookies.length, 1)
    const [pair, ...attributes] = cookies[0]!.split(';').map((s) => s.trim())
    assert.match(pair!, /^__Host-kestrel=s%3A/)
    const names = attributes.map((a) => a.split('=')[0]!.toLowerCase())
    assert.ok(names.includes('secure'), 'Secure')
    assert.ok(names.includes('httponly'), 'HttpOnly')
    assert.ok(attributes.some((a) => /^SameSite=Lax$/i.test(a)), 'SameSite=Lax')
    assert.ok(attributes.some((a) => a === 'Path=/'), 'Path=/ (required by __Host-)')
    assert.ok(!names.includes('domain'), 'no Domain (required by __Host-)')
    assert.ok(!names.includes('expires') && !names.includes('max-age'), 'a browser-session cookie')
    const queue = await client.get('/queue')
    assert.equal(queue.status, 200)
    assert.match(queue.headers.get('strict-transport-security') ?? '', /max-age=31536000; includeSubDomains/)
  })

  it('never sets the session cookie over plain HTTP, so no one signs in without TLS', async () => {
    const client = app.client()
    const signInPage = await client.get('/sign-in')
    assert.deepEqual(signInPage.headers.getSetCookie(), [])
    const posted = await client.post('/sign-in', { email: user.email, password: user.password })
    assert.deepEqual(posted.headers.getSetCookie(), [])
    assert.notEqual(posted.location, '/', 'not signed in')
  })
})
