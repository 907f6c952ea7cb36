import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { load } from 'cheerio'
import type { Page } from '../helpers/client.js'
import { label } from './support/app-routes.js'
import { discoverForms, linkShape, queryLinks, visitEveryPage, visitPublicPages, type FoundForm } from './support/crawl.js'
import { fillForm, isFreeText, todayParts } from './support/page-forms.js'
import { submitJourney } from './support/submit.js'
import { injectionsIn, markersShown, XSS_PAYLOADS, type Payload } from './support/xss-corpus.js'
import { buildWorld, type World } from './support/world.js'

/**
 * Stored and reflected cross-site scripting: every payload of the corpus typed into every
 * free-text field of every form the pages render (as every role that sees the form), then every
 * page of the app viewed by every role — the form re-shown with its errors, the pages that show
 * what was saved, lists, and the exports they link to. Nothing may leave its text.
 */
describe('injection: cross-site scripting through every free-text field', () => {
  let world: World
  let forms: FoundForm[]

  before(async () => {
    world = await buildWorld()
    forms = (await discoverForms(world)).filter((f) => f.form.controls.some(isFreeText))
  })
  after(() => world?.app.stop())

  function isHtml(page: Page): boolean {
    return /text\/html/.test(page.headers.get('content-type') ?? '')
  }

  function problemsOn(page: Page, where: string): string[] {
    if (page.status >= 500) return [`${where}: server error ${page.status}`]
    if (!isHtml(page)) return []
    return injectionsIn(page.$, page.text, XSS_PAYLOADS).map((p) => `${where}: ${p}`)
  }

  it('keeps every payload as text when a form takes it in or shows it back', async () => {
    assert.ok(forms.length >= 5, `forms with free text found: ${forms.length}`)
    const started = Date.now()
    let requests = 0
    const today = todayParts(world.app.clock.now())
    const problems: string[] = []
    const statuses = new Map<number, number>()
    for (const payload of XSS_PAYLOADS) {
      for (const { persona, form } of forms) {
        await persona.client.get(form.page)
        const body = fillForm(form, today, (c) => (isFreeText(c) ? payload.text : undefined))
        const pages = await submitJourney(persona.client, form, body, today)
        requests += pages.length + 1
        statuses.set(pages[0]!.status, (statuses.get(pages[0]!.status) ?? 0) + 1)
        for (const page of pages) problems.push(...problemsOn(page, `${form.method.toUpperCase()} ${form.action} as ${persona.label} with the ${payload.name} (then ${page.url})`))
      }
    }
    assert.deepEqual(problems, [])
    console.log(
      `xss: ${XSS_PAYLOADS.length} payloads × ${forms.length} forms with free text (${forms.reduce((n, f) => n + f.form.controls.filter(isFreeText).length, 0)} fields): answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}; ${requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
  })

  it('shows what was saved only as text, on every page every role can open, and in every export they link to', async () => {
    const problems: string[] = []
    const shown = new Set<Payload>()
    const pagesShowing = new Set<string>()
    const links = new Set<string>()
    const shapes = new Set<string>()
    const visits = await visitEveryPage(world, ({ persona, route, path, page }) => {
      problems.push(...problemsOn(page, `${label(route)} (${path}) as ${persona.label}`))
      for (const p of markersShown(page.text, XSS_PAYLOADS)) {
        shown.add(p)
        pagesShowing.add(route.path)
      }
      for (const link of queryLinks(page)) {
        const shape = `${persona.label} ${linkShape(link)}`
        if (!shapes.has(shape)) links.add(`${persona.label} ${link}`)
        shapes.add(shape)
      }
    })
    for (const page of await visitPublicPages(world, world.app.client())) problems.push(...problemsOn(page, `${page.url} signed out`))

    // Exports, filters and pages of lists, as linked from the pages.
    let exports = 0
    for (const entry of links) {
      const [who, link] = [entry.slice(0, entry.indexOf(' ')), entry.slice(entry.indexOf(' ') + 1)]
      const page = await world.persona(who).client.get(link)
      problems.push(...problemsOn(page, `${link} as ${who}`))
      const type = page.headers.get('content-type') ?? ''
      if (/text\/csv/.test(type)) {
        exports++
        for (const cell of csvCells(page.text)) if (/^[=+\-@\t\r]/.test(cell)) problems.push(`${link}: a CSV cell starts with a formula character: ${cell.slice(0, 40)}`)
      }
    }
    assert.deepEqual(problems, [])
    // The corpus really reached the pages: stored payloads are on show somewhere.
    assert.ok(shown.size >= XSS_PAYLOADS.length - 1, `payloads shown on some page: ${[...shown].map((p) => p.name).join(', ')}`)
    console.log(`xss: ${visits.length} pages and ${links.size} linked lists/exports (${exports} CSV) viewed; ${shown.size} payloads on show, on ${pagesShowing.size} kinds of page, all as text`)
  })

  it('finds the checker itself would catch an unescaped payload (a page built by hand)', () => {
    const html = `<html><body><p>${XSS_PAYLOADS[0]!.text}</p><a href="javascript:alert(1)">x</a><div title="x" onclick="y">z</div><p>kx_7_49</p></body></html>`
    const found = injectionsIn(load(html), html, XSS_PAYLOADS)
    assert.ok(found.some((f) => /<script> made by the script tag/.test(f)))
    assert.ok(found.some((f) => /javascript: URL/.test(f)))
    assert.ok(found.some((f) => /onclick/.test(f)))
    assert.ok(found.some((f) => /evaluated/.test(f)))
  })
})

/** The cells of an RFC 4180 CSV document. */
function csvCells(text: string): string[] {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',' || c === '\n') {
      cells.push(cell.replace(/\r$/, ''))
      cell = ''
    } else cell += c
  }
  if (cell) cells.push(cell)
  return cells
}
