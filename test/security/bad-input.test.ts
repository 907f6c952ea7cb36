import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page, TestClient } from '../helpers/client.js'
import { isPublic, label, mayUse, routesOf } from './support/app-routes.js'
import { formsFound, linkShape, queryLinks, visitEveryPage, type FoundForm, type Visit } from './support/crawl.js'
import { contentHash } from './support/fingerprint.js'
import { controlGroups, fillForm, isDatePart, isFreeText, todayParts, type PageForm } from './support/page-forms.js'
import { familyOf, visiblePaths } from './support/route-records.js'
import { buildWorld, type World } from './support/world.js'

/** SQL metacharacters: harmless as text, fatal if anything ever built SQL by concatenation. */
const SQL_META = `' OR '1'='1'; DROP TABLE concern; -- " \\ % _ $1 ::text /* */ ;SELECT pg_sleep(5)--`

/** Hostile values for a field (raw, already percent-encoded where the bytes matter). */
const HOSTILE_RAW: [string, string][] = [
  ['SQL metacharacters', encodeURIComponent(SQL_META)],
  ['a NUL byte', 'a%00b'],
  ['invalid UTF-8', '%C3%28%FF%FE'],
  ['an overlong UTF-8 encoding of "<"', '%C0%BC'],
  ['a lone surrogate', '%ED%A0%80'],
]

const IMPOSSIBLE_DATES: [string, string, string][] = [
  ['31', '2', '2026'],
  ['0', '13', '2026'],
  ['99', '99', '99999'],
  ['-1', '-1', '-1'],
  ['1e1', '0x2', '2026.5'],
  ['\uFF11', '\uFF12', '\uFF12\uFF10\uFF12\uFF16'],
  ['29', '2', '2025'],
]

/**
 * Bad input of every kind into every form and every parameter the app has: SQL metacharacters,
 * NUL bytes, invalid UTF-8, duplicated parameters, impossible dates, 10 MB bodies, hostile path
 * and query parameters. The answer is always a clear page (the form with its error summary, or
 * the 400/404/413 page) — never a 500 — and a refused request writes nothing at all.
 */
describe('injection and bad input: every form and parameter', () => {
  let world: World
  let forms: FoundForm[]
  let visits: Visit[]
  const today = () => todayParts(world.app.clock.now())

  before(async () => {
    world = await buildWorld()
    visits = await visitEveryPage(world)
    forms = formsFound(visits, { method: 'post' }).filter((f) => !f.form.multipart)
  })
  after(() => world?.app.stop())

  function clearPage(page: Page): boolean {
    if (page.status === 303) return true
    const heading = page.$('h1').text().trim()
    return heading !== '' && (page.status !== 400 || page.$('.govuk-error-summary').length > 0 || /problem with what was sent/.test(heading))
  }

  /** The database's content hash as last seen, while nothing has been accepted since. */
  let knownHash: string | undefined

  /** Sends a raw body; checks a clear answer and, when refused, that nothing was written. */
  async function attempt(client: TestClient, form: PageForm, rawBody: string, what: string, problems: string[], statuses: Map<number, number>): Promise<void> {
    const before = knownHash ?? (await contentHash(world.app.database.db))
    const page = await client.request('POST', form.action, { body: rawBody })
    statuses.set(page.status, (statuses.get(page.status) ?? 0) + 1)
    const where = `POST ${form.action} with ${what}`
    if (page.status >= 500) problems.push(`${where}: server error ${page.status}`)
    else if (!clearPage(page)) problems.push(`${where}: ${page.status} without a clear page`)
    knownHash = undefined
    if (page.status >= 400) {
      const after = await contentHash(world.app.database.db)
      if (after !== before) problems.push(`${where}: refused (${page.status}) but the database changed`)
      knownHash = after
    }
  }

  function encode(body: URLSearchParams): string {
    return body.toString()
  }

  it('answers hostile values in every field of every form with a clear page, and refusals write nothing', async () => {
    assert.ok(forms.length >= 10, `forms found: ${forms.length}`)
    const problems: string[] = []
    const statuses = new Map<number, number>()
    let sent = 0
    for (const { persona, form } of forms) {
      const client = persona.client
      await client.get(form.page)
      const token = client.lastCsrfToken!
      const base = fillForm(form, today())
      base.set('_csrf', token)
      const groups = controlGroups(form)
      const names = [...groups.keys()].filter((n) => n !== '_csrf')
      // Fields whose value the page chose (ids, versions, keys, choices): where a value goes
      // straight into a query. Free text is checked as a whole by the same rules everywhere.
      const chosenFields = names.filter((n) => !isFreeText(groups.get(n)![0]!))
      for (const [what, raw] of HOSTILE_RAW) {
        // Every field at once, then each chosen field alone with the rest filled in properly.
        const all = names.map((n) => `${encodeURIComponent(n)}=${raw}`).join('&')
        await attempt(client, form, `_csrf=${token}&${all}`, `${what} in every field`, problems, statuses)
        sent++
        // Any value that is not a well-formed id or choice fails the same checks; a NUL byte is
        // the one PostgreSQL itself refuses, so it stands for them all field by field.
        if (what !== 'a NUL byte') continue
        for (const name of chosenFields) {
          const rest = new URLSearchParams(base)
          rest.delete(name)
          await attempt(client, form, `${encode(rest)}&${encodeURIComponent(name)}=${raw}`, `${what} in ${name}`, problems, statuses)
          sent++
        }
      }
      // Every parameter twice, with different values.
      const doubled = new URLSearchParams(base)
      for (const name of names) doubled.append(name, `${base.get(name) ?? ''}x`)
      await attempt(client, form, encode(doubled), 'every parameter twice', problems, statuses)
      sent++
      // Impossible dates in each date.
      const dates = [...new Set(names.filter(isDatePart).map((n) => n.replace(/-(day|month|year)$/, '')))]
      for (const date of dates) {
        for (const [d, m, y] of IMPOSSIBLE_DATES) {
          const body = new URLSearchParams(base)
          body.set(`${date}-day`, d)
          body.set(`${date}-month`, m)
          body.set(`${date}-year`, y)
          await attempt(client, form, encode(body), `the date ${date} as ${d}/${m}/${y}`, problems, statuses)
          sent++
        }
      }
    }
    assert.deepEqual(problems, [])
    console.log(`bad input: ${sent} hostile posts to ${forms.length} forms; answers ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')}; no 500s, no writes on refusal`)
  })

  it('refuses a 10 MB body with the "too large" page on every form, and writes nothing', async () => {
    const problems: string[] = []
    const big = 'x'.repeat(10 * 1024 * 1024)
    for (const { persona, form } of forms) {
      await persona.client.get(form.page)
      const before = await contentHash(world.app.database.db)
      const page = await persona.client.request('POST', form.action, { body: `_csrf=${persona.client.lastCsrfToken}&${encodeURIComponent(form.controls[0]?.name ?? 'x')}=${big}` })
      if (page.status !== 413 || !/What you sent is too large/.test(page.text)) problems.push(`POST ${form.action}: ${page.status}`)
      if ((await contentHash(world.app.database.db)) !== before) problems.push(`POST ${form.action}: the database changed`)
    }
    // Too many parameters is the same refusal.
    const form = forms[0]!
    const many = Array.from({ length: 5000 }, (_, i) => `p${i}=1`).join('&')
    const page = await form.persona.client.request('POST', form.form.action, { body: `_csrf=${form.persona.client.lastCsrfToken}&${many}` })
    assert.equal(page.status, 413)
    assert.deepEqual(problems, [])
  })

  it('answers hostile path parameters with "Page not found" or the bad-request page, never a 500', async () => {
    const problems: string[] = []
    const values = [encodeURIComponent(SQL_META), 'a%00b', '%C3%28', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', 'x'.repeat(5000)]
    let sent = 0
    for (const route of routesOf(world.app).filter((r) => !isPublic(r) && familyOf(r))) {
      const persona = world.personas.find((p) => mayUse(p, route))!
      await persona.client.get('/')
      for (const value of values) {
        const path = route.path.replace(/:[A-Za-z]+/g, value)
        const page = route.method === 'get' ? await persona.client.get(path) : await persona.client.post(path, {})
        sent++
        if (page.status !== 404 && page.status !== 400) problems.push(`${label(route)} with ${value.slice(0, 30)}: ${page.status}`)
      }
    }
    assert.deepEqual(problems, [])
    console.log(`bad input: ${sent} hostile path parameters answered 404 or 400`)
  })

  it('answers hostile query parameters, sorts and filters on every page with a clear page, never a 500', async () => {
    const problems: string[] = []
    // Every parameter name any page links with, plus the usual ones.
    const names = new Set(['page', 'sort', 'order', 'q', 'status', 'from', 'to', 'month', 'year', 'period', 'measure', 'value', 'filter', 'id'])
    const shapes = new Map<string, { persona: string; link: string }>()
    for (const { persona, page } of visits) {
      for (const link of queryLinks(page)) {
        for (const key of new URL(link, 'http://x').searchParams.keys()) names.add(key)
        if (!shapes.has(linkShape(link))) shapes.set(linkShape(link), { persona: persona.label, link })
      }
    }
    const values = [encodeURIComponent(SQL_META), '%00', '99999999999999999999999', 'x'.repeat(2000)]
    let sent = 0
    const targets: { persona: string; path: string }[] = []
    for (const route of routesOf(world.app).filter((r) => r.method === 'get' && !isPublic(r))) {
      const persona = world.personas.find((p) => mayUse(p, route))!
      targets.push({ persona: persona.label, path: visiblePaths(route, persona, world)[0]!.path })
    }
    for (const { persona, link } of shapes.values()) targets.push({ persona, path: link.split('?')[0]! })
    for (const { persona, path } of targets) {
      const client = world.persona(persona).client
      for (const value of values) {
        const query = [...names].map((n) => `${encodeURIComponent(n)}=${value}`).join('&')
        // The first value is also sent twice over (duplicated parameters).
        for (const url of value === values[0] ? [`${path}?${query}`, `${path}?${query}&${query}`] : [`${path}?${query}`]) {
          const page = await client.get(url)
          sent++
          if (page.status >= 500 || (page.status !== 303 && page.$('h1').text().trim() === '' && /html/.test(page.headers.get('content-type') ?? ''))) {
            problems.push(`GET ${path} with ${decodeURIComponent(value.slice(0, 20))}${url.includes('&' + query) ? ' (twice)' : ''}: ${page.status}`)
          }
        }
      }
    }
    assert.deepEqual(problems, [])
    console.log(`bad input: ${sent} GETs with ${names.size} hostile query parameters across ${targets.length} pages; no 500s`)
  })
})
