import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import express from 'express'
import { sql } from 'kysely'
import { TestClient } from '../../test/helpers/client.js'
import { countPages } from '../middleware/page-traffic.js'
import { openDatabase, type Database } from './connect.js'
import { asReportWork, PageTraffic } from './page-traffic.js'

// The embedded engine's own behaviour, so it runs on PGlite whatever TEST_DATABASE_URL says.
describe('embedded database: pages first, reports in the gaps', () => {
  let database: Database
  let pages: PageTraffic
  before(async () => {
    database = await openDatabase({ kind: 'pglite-memory' })
    pages = database.pages!
  })
  after(() => database.close())

  const select = (n: number) => sql<{ n: number }>`SELECT ${n}::int AS n`.execute(database.db)

  it('holds a report statement while a page is in progress, and runs it when the page ends', async () => {
    pages.maxWaitMs = 60_000
    const events: string[] = []
    const endPage = pages.begin()
    const report = asReportWork(() => select(1)).then(() => events.push('report statement'))
    for (let i = 0; i < 20; i++) await nextTurn()
    // The page's own statements are not held.
    await select(2)
    events.push('page statement')
    endPage()
    events.push('page ended')
    await report
    assert.deepEqual(events, ['page statement', 'page ended', 'report statement'])
  })

  it('lets a report statement go after its bound, so reports finish on a busy system', async () => {
    pages.maxWaitMs = 5
    const endPage = pages.begin()
    try {
      const rows = await asReportWork(() => select(3))
      assert.deepEqual(rows.rows, [{ n: 3 }])
      assert.equal(pages.inProgress, 1, 'the page was still in progress')
    } finally {
      endPage()
    }
  })

  it('runs report statements one at a time, so a page never queues behind several', async () => {
    pages.maxWaitMs = 60_000
    const events: string[] = []
    // Another report statement holds the turn (as when a report runs reads side by side).
    const endTurn = await pages.reportTurn()
    const report = asReportWork(() => select(5)).then(() => events.push('report statement'))
    for (let i = 0; i < 20; i++) await nextTurn()
    await select(6)
    events.push('page statement')
    endTurn()
    events.push('turn ended')
    await report
    assert.deepEqual(events, ['page statement', 'turn ended', 'report statement'])
  })

  it('runs report statements straight away when no page is in progress', async () => {
    pages.maxWaitMs = 60_000
    assert.equal(pages.inProgress, 0)
    const rows = await asReportWork(() => select(4))
    assert.deepEqual(rows.rows, [{ n: 4 }])
  })
})

describe('counting pages in progress', () => {
  it('counts every page but the reports, and each only until its response is done', async () => {
    const pages = new PageTraffic()
    const app = express()
    app.use(countPages(pages))
    app.get(['/cases', '/reports', '/reports/scorecard'], (_req, res) => {
      res.json({ during: pages.inProgress })
    })
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const client = new TestClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`)
      const during = async (path: string) => JSON.parse((await client.get(path)).text).during
      assert.equal(await during('/cases'), 1)
      // The first page ended with its response: the next one counts itself alone.
      assert.equal(await during('/cases'), 1)
      assert.equal(await during('/reports'), 0)
      assert.equal(await during('/reports/scorecard'), 0)
    } finally {
      server.close()
    }
  })
})
