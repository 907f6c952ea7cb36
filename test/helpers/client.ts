import { load, type CheerioAPI } from 'cheerio'

export interface Page {
  status: number
  headers: Headers
  text: string
  $: CheerioAPI
  location: string | null
  url: string
}

/** The first form's CSRF token, as a browser would post it (the value is hex: nothing to unescape). */
function csrfTokenIn(html: string): string | undefined {
  const tag = /<input\b[^>]*\bname="_csrf"[^>]*>/.exec(html)?.[0]
  return tag ? /\bvalue="([^"]*)"/.exec(tag)?.[1] : undefined
}

/**
 * A browser-like HTTP client for tests: keeps cookies, never follows redirects by itself, and
 * sends the CSRF token the last page it loaded carried — exactly as a real form would.
 */
export class TestClient {
  private cookies = new Map<string, string>()
  lastCsrfToken: string | undefined

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  get sessionCookie(): string | undefined {
    return this.cookies.get('kestrel') ?? this.cookies.get('__Host-kestrel')
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value)
  }

  clearCookies(): void {
    this.cookies.clear()
  }

  async request(method: string, path: string, options: { body?: string | URLSearchParams; headers?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = { ...options.headers }
    const cookie = this.cookieHeader()
    if (cookie) headers.cookie = cookie
    if (options.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/x-www-form-urlencoded'
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body: options.body?.toString(), redirect: 'manual' })
    for (const raw of response.headers.getSetCookie()) {
      const [pair, ...attributes] = raw.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === ''
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const text = await response.text()
    const token = csrfTokenIn(text)
    if (token) this.lastCsrfToken = token
    // Parsed only when a test looks: most requests never do, and parsing a large page costs more
    // than the server took to make it (it used to be counted in the bench's timings).
    let parsed: CheerioAPI | undefined
    return {
      status: response.status,
      headers: response.headers,
      text,
      get $() {
        return (parsed ??= load(text))
      },
      location: response.headers.get('location'),
      url: path,
    }
  }

  get(path: string): Promise<Page> {
    return this.request('GET', path)
  }

  /** Posts a form with the CSRF token from the last page loaded (unless the test supplies `_csrf` itself). */
  post(path: string, form: Record<string, string | string[]> | URLSearchParams = {}, options: { csrf?: boolean } = {}): Promise<Page> {
    const body = form instanceof URLSearchParams ? form : toParams(form)
    if (options.csrf !== false && !body.has('_csrf') && this.lastCsrfToken) body.set('_csrf', this.lastCsrfToken)
    return this.request('POST', path, { body })
  }

  /** Follows redirects from a response, as a browser would, up to a limit. */
  async follow(page: Page, limit = 5): Promise<Page> {
    let current = page
    for (let i = 0; i < limit && current.location && current.status >= 300 && current.status < 400; i++) {
      current = await this.get(current.location)
    }
    return current
  }
}

export function toParams(form: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v)
  }
  return body
}

export function errorSummary(page: Page): string[] {
  return page.$('.govuk-error-summary__list li').map((_, el) => page.$(el).text().trim()).get()
}

export function headingText(page: Page): string {
  return page.$('h1').first().text().trim().replace(/\s+/g, ' ')
}
