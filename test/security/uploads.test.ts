import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createDeflateRaw, crc32 } from 'node:zlib'
import { load } from 'cheerio'
import type { Page, TestClient } from '../helpers/client.js'
import { minimalPdf, minimalPng, zipWith } from '../helpers/sample-files.js'
import { formsFound, visitEveryPage, type FoundForm } from './support/crawl.js'
import { contentHash } from './support/fingerprint.js'
import { fillForm, todayParts, type PageForm } from './support/page-forms.js'
import { buildWorld, type World } from './support/world.js'

/**
 * Hostile uploads against every upload form the pages render (found by their multipart forms,
 * so new upload pages are covered without edits): the wrong type behind the right extension,
 * an SVG carrying script, files over the limit, path-traversal names, a zip bomb. Each is
 * refused with a clear page (nothing stored), or stored inert: kept under a generated id,
 * downloaded only as an attachment, with a safe type and name.
 */

/** A ZIP whose one big part inflates to `inflatedBytes` of zeros (a zip bomb), streamed so the test never holds it. */
async function zipBomb(names: { small: string[]; big: string }, inflatedBytes: number): Promise<Uint8Array> {
  const deflater = createDeflateRaw({ level: 9 })
  const parts: Buffer[] = []
  deflater.on('data', (d: Buffer) => parts.push(d))
  const done = new Promise((resolve) => deflater.on('end', resolve))
  const chunk = Buffer.alloc(1024 * 1024)
  let crc = 0
  for (let written = 0; written < inflatedBytes; written += chunk.length) {
    crc = crc32(chunk, crc)
    if (!deflater.write(chunk)) await new Promise((r) => deflater.once('drain', r))
  }
  deflater.end()
  await done
  const compressed = Buffer.concat(parts)
  // The small parts make it look like an Office package; the big one is the bomb.
  const shell = Buffer.from(zipWith(names.small))
  const entries: { name: Buffer; data: Buffer; crc: number; size: number }[] = [{ name: Buffer.from(names.big), data: compressed, crc: crc >>> 0, size: inflatedBytes }]
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  // Re-use the shell's entries by parsing nothing: write the shell's parts again alongside the bomb.
  let offset = 0
  const all = [...readZipEntries(shell), ...entries]
  for (const e of all) {
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(e.crc, 14)
    local.writeUInt32LE(e.data.length, 18)
    local.writeUInt32LE(e.size, 22)
    local.writeUInt16LE(e.name.length, 26)
    locals.push(local, e.name, e.data)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(8, 10)
    central.writeUInt32LE(e.crc, 16)
    central.writeUInt32LE(e.data.length, 20)
    central.writeUInt32LE(e.size, 24)
    central.writeUInt16LE(e.name.length, 28)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, e.name)
    offset += 30 + e.name.length + e.data.length
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(all.length, 8)
  end.writeUInt16LE(all.length, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  return Uint8Array.from(Buffer.concat([...locals, ...centrals, end]))
}

/** The entries of a small ZIP written by zipWith (local headers in order). */
function readZipEntries(zip: Buffer): { name: Buffer; data: Buffer; crc: number; size: number }[] {
  const entries: { name: Buffer; data: Buffer; crc: number; size: number }[] = []
  let at = 0
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const crc = zip.readUInt32LE(at + 14)
    const compressed = zip.readUInt32LE(at + 18)
    const size = zip.readUInt32LE(at + 22)
    const nameLength = zip.readUInt16LE(at + 26)
    const name = zip.subarray(at + 30, at + 30 + nameLength)
    entries.push({ name, data: zip.subarray(at + 30 + nameLength, at + 30 + nameLength + compressed), crc, size })
    at += 30 + nameLength + compressed
  }
  return entries
}

interface HostileFile {
  what: string
  name: string
  bytes: Uint8Array
  type: string
}

async function hostileFiles(): Promise<HostileFile[]> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="alert('svg')"><script>alert('svg-script')</script></svg>`
  const html = `<!doctype html><html><body><script>alert('html')</script></body></html>`
  return [
    { what: 'an HTML page named .pdf', name: 'minutes.pdf', bytes: Buffer.from(html), type: 'application/pdf' },
    { what: 'a Windows program named .png', name: 'photo.png', bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]), type: 'image/png' },
    { what: 'a PDF named .docx', name: 'letter.docx', bytes: minimalPdf(), type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    { what: 'a shell script named .txt', name: 'notes.txt', bytes: Buffer.from('#!/bin/sh\nrm -rf /\n'), type: 'text/plain' },
    { what: 'an SVG with script', name: 'drawing.svg', bytes: Buffer.from(svg), type: 'image/svg+xml' },
    { what: 'an SVG with script named .png', name: 'drawing.png', bytes: Buffer.from(svg), type: 'image/png' },
    { what: 'HTML with script in a text file', name: 'page.txt', bytes: Buffer.from(html), type: 'text/html' },
    { what: 'an XLSX with a macro project', name: 'book.xlsx', bytes: zipWith(['[Content_Types].xml', 'xl/workbook.xml', 'xl/vbaProject.bin']), type: 'application/vnd.ms-excel.sheet.macroEnabled.12' },
    { what: 'a path-traversal name', name: '../../../../etc/passwd.pdf', bytes: minimalPdf(), type: 'application/pdf' },
    { what: 'a Windows path-traversal name', name: '..\\..\\windows\\win.ini.png', bytes: minimalPng(), type: 'image/png' },
    { what: 'a name with control characters and quotes', name: 'a\r\nContent-Type: text/html\r\n"x.pdf', bytes: minimalPdf(), type: 'application/pdf' },
    { what: 'a file over the size limit', name: 'big.pdf', bytes: Buffer.concat([Buffer.from(minimalPdf()), Buffer.alloc(11 * 1024 * 1024, 0x20)]), type: 'application/pdf' },
    { what: 'a zip bomb dressed as a Word document', name: 'bomb.docx', bytes: await zipBomb({ small: ['[Content_Types].xml', 'word/document.xml'], big: 'word/media/zeros.bin' }, 512 * 1024 * 1024), type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    { what: 'a zip bomb dressed as a spreadsheet', name: 'bomb.xlsx', bytes: await zipBomb({ small: ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels'], big: 'xl/worksheets/sheet1.xml' }, 512 * 1024 * 1024), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  ]
}

describe('uploads: hostile files on every upload form', () => {
  let world: World
  let forms: FoundForm[]
  let files: HostileFile[]

  before(async () => {
    world = await buildWorld()
    forms = formsFound(await visitEveryPage(world), { method: 'post' }).filter((f) => f.form.multipart)
    files = await hostileFiles()
  })
  after(() => world?.app.stop())

  /** Posts the form as a browser would, with the file in its file field and the rest filled in. */
  async function upload(client: TestClient, form: PageForm, file: HostileFile): Promise<Page> {
    await client.get(form.page)
    const fileField = form.controls.find((c) => c.kind === 'file')!.name
    const body = new FormData()
    for (const [k, v] of fillForm(form, todayParts(world.app.clock.now()))) body.append(k, k === '_csrf' ? client.lastCsrfToken! : v)
    if (!body.has('_csrf')) body.append('_csrf', client.lastCsrfToken!)
    body.set(fileField, new Blob([file.bytes], { type: file.type }), file.name)
    const response = await fetch(new URL(form.action, client.baseUrl), { method: 'POST', body, headers: { cookie: client.cookieHeader() }, redirect: 'manual' })
    const text = await response.text()
    return { status: response.status, headers: response.headers, text, $: load(text), location: response.headers.get('location'), url: form.action }
  }

  /** A stored file must come back only as an inert attachment. */
  async function inertProblems(client: TestClient, listPage: string): Promise<string[]> {
    const page = await client.get(listPage)
    const links = page.$('a[href$="/download"]').map((_, a) => page.$(a).attr('href')!).get()
    const problems: string[] = []
    for (const href of links) {
      const download = await client.get(href)
      const disposition = download.headers.get('content-disposition') ?? ''
      const type = download.headers.get('content-type') ?? ''
      if (!/^attachment;/.test(disposition)) problems.push(`${href}: not an attachment (${disposition})`)
      const filename = /filename="([^"]*)"/.exec(disposition)?.[1] ?? ''
      if (/[\\/]|\.\.|[\r\n]/.test(filename) || /[\r\n]/.test(disposition)) problems.push(`${href}: unsafe file name ${JSON.stringify(filename)}`)
      if (/html|svg|xml|javascript/i.test(type)) problems.push(`${href}: served as ${type}`)
      if (download.headers.get('x-content-type-options') !== 'nosniff') problems.push(`${href}: no nosniff`)
    }
    return problems
  }

  it('finds the upload forms the pages render', () => {
    const actions = forms.map((f) => f.form.action.replace(/[0-9a-f-]{36}/g, ':id'))
    assert.ok(actions.length >= 1, 'at least one upload form')
    console.log(`uploads: ${forms.length} upload forms found: ${[...new Set(actions)].join(', ')}`)
  })

  it('refuses each hostile file with a clear page and stores nothing, or stores it inert', async () => {
    const problems: string[] = []
    const outcomes: string[] = []
    for (const { persona, form } of forms) {
      for (const file of files) {
        const before = await contentHash(world.app.database.db)
        const memoryBefore = process.memoryUsage().rss
        const page = await upload(persona.client, form, file)
        const grewMb = Math.round((process.memoryUsage().rss - memoryBefore) / 1024 / 1024)
        const where = `${form.action.replace(/[0-9a-f-]{36}/g, ':id')} with ${file.what}`
        if (page.status >= 500) problems.push(`${where}: server error ${page.status}`)
        if (grewMb > 300) problems.push(`${where}: the server's memory grew by ${grewMb} MB (the bomb went off)`)
        if (page.status >= 400) {
          const clear = page.$('.govuk-error-summary').length > 0 || /too large|problem with what was sent/i.test(page.$('h1').text())
          if (!clear) problems.push(`${where}: refused (${page.status}) without a clear message`)
          if ((await contentHash(world.app.database.db)) !== before) problems.push(`${where}: refused but something was stored`)
          outcomes.push(`${where}: refused (${page.status}) — ${page.$('.govuk-error-summary li').first().text().trim() || page.$('h1').text().trim()}`)
        } else {
          outcomes.push(`${where}: accepted (${page.status}), checked inert`)
          problems.push(...(await inertProblems(persona.client, form.page)).map((p) => `${where}: ${p}`))
          // Whatever name it came with, nothing is written outside the database.
          if (/\.\.|[\\/]/.test(file.name) && (await world.app.database.db.selectFrom('case_document').select('id').where('original_name', 'like', '%/%').executeTakeFirst())) problems.push(`${where}: a path was stored as the name`)
        }
      }
    }
    for (const line of outcomes) console.log(`uploads: ${line}`)
    assert.deepEqual(problems, [])
  })
})
