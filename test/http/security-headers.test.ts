import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { Page } from '../helpers/client.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'

function nonceOf(page: Page): string {
  const csp = page.headers.get('content-security-policy') ?? ''
  const match = /script-src[^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)
  assert.ok(match, `a script nonce in the CSP: ${csp}`)
  return match[1]!
}

describe('security headers on every HTML page', () => {
  let app: TestApp
  let org: TestOrganisation
  let dso: TestUser
  let concernId: string

  before(async () => {
    app = await startTestApp()
    org = await app.factories.organisation()
    dso = await app.factories.user(org, ['dso'])
    concernId = (await app.factories.concern(await app.factories.user(org))).id
  })
  after(() => app.stop())

  it('sends a strict CSP with a fresh nonce per response that the page’s scripts carry', async () => {
    const client = await app.signedIn(dso)
    const pages = [await client.get('/'), await client.get('/queue'), await client.get(`/concerns/${concernId}`), await client.get('/no-such-page')]
    const anonymous = await app.client().get('/sign-in')
    const nonces = new Set<string>()
    for (const page of [...pages, anonymous]) {
      const csp = page.headers.get('content-security-policy') ?? ''
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, page.url)
      assert.match(csp, /default-src 'self'/)
      assert.match(csp, /frame-ancestors 'none'/)
      assert.match(csp, /object-src 'none'/)
      assert.match(csp, /base-uri 'none'/)
      assert.match(csp, /form-action 'self'/)
      const nonce = nonceOf(page)
      nonces.add(nonce)
      const inline = page.$('script:not([src])')
      assert.ok(inline.length > 0, `${page.url} has GOV.UK's inline js-enabled script`)
      inline.each((_, s) => assert.equal(page.$(s).attr('nonce'), nonce, `${page.url}: every inline script carries this response's nonce`))
    }
    assert.equal(nonces.size, pages.length + 1, 'a different nonce on every response')
  })

  it('keeps pages out of caches and tags every response with a request id', async () => {
    const client = await app.signedIn(dso)
    const ids = new Set<string>()
    for (const path of ['/sign-in', '/', '/queue', `/concerns/${concernId}`, '/my-concerns', '/no-such-page']) {
      const page = await client.get(path)
      assert.equal(page.headers.get('cache-control'), 'no-store', path)
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff', path)
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer', path)
      assert.equal(page.headers.get('x-powered-by'), null, path)
      const id = page.headers.get('x-request-id')
      assert.match(id ?? '', /^[0-9a-f-]{36}$/, path)
      ids.add(id!)
    }
    assert.equal(ids.size, 6, 'a new request id every time')
  })

  it('sets the session cookie HttpOnly and SameSite=Lax, and never in the URL', async () => {
    const response = await fetch(`${app.url}/sign-in`)
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('kestrel='))
    assert.ok(cookie)
    assert.match(cookie, /HttpOnly/)
    assert.match(cookie, /SameSite=Lax/)
    assert.doesNotMatch(cookie, /Max-Age|Expires/, 'a browser-session cookie: the server enforces the limits')
  })
})
