import assert from 'node:assert/strict'
import fs from 'node:fs'
import { after, before, describe, it } from 'node:test'
import type { Browser, Download, Page } from 'playwright-core'
import { readSheet } from 'read-excel-file/node'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'
import { makeConcern } from '../helpers/report-fixtures.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

/** The numbers in a table row, without the link text kept for screen readers. */
async function figures(page: Page, tableId: string, row = 0): Promise<string[]> {
  const cells = await page.locator(`#table-${tableId} tbody tr`).nth(row).locator('td').allInnerTexts()
  return cells.map((c) => c.split('\n')[0]!.trim())
}

async function downloadFrom(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void]
  const file = await download.path()
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) }
}

describe('browser: a safeguarding manager reads the figures and takes them away', () => {
  let app: TestApp
  let browser: Browser
  let org: TestOrganisation
  let manager: TestUser

  before(async () => {
    app = await startTestApp({ now: '2023-06-30T11:00:00Z' })
    org = await app.factories.organisation()
    manager = await app.factories.user(org, ['safeguarding_manager'], { name: 'Morgan Manager' })
    const referrer = await app.factories.user(org, [])
    const db = app.database.db
    const [housing, customer] = org.services.map((s) => s.id) as [string, string]
    const shapes = [
      { receivedAt: '2022-04-12T10:00:00+01:00', serviceId: housing },
      { receivedAt: '2022-05-17T10:00:00+01:00', serviceId: customer, atRisk: 'child' as const, dateOfBirth: '2012-02-02', types: ['child:Neglect'] },
      { receivedAt: '2022-10-04T10:00:00+01:00', serviceId: housing },
      { receivedAt: '2023-01-10T10:00:00Z', serviceId: customer },
      { receivedAt: '2021-09-07T10:00:00+01:00', serviceId: housing },
    ]
    for (const [i, s] of shapes.entries()) {
      const day = s.receivedAt.slice(0, 10)
      await makeConcern(db, app.factories, referrer, { ...s, addressedAt: `${day}T15:00:00Z`, decision: i === 3 ? 'advice_and_guidance' : 'onward_referral', referrals: i === 3 ? [] : [{ agency: 'Adult Social Care', madeAt: `${day}T15:30:00Z` }] })
    }
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  it('opens the dashboard, switches period, downloads the scorecard as CSV and XLSX and the committee report as PDF', async () => {
    const context = await browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    const consoleErrors = watchConsole(page)
    await signIn(page, app.url, manager.email, manager.password)
    await page.getByRole('link', { name: 'Reports', exact: true }).click()
    await page.getByRole('heading', { name: 'Performance dashboard' }).waitFor()
    await assertAccessible(page, 'dashboard (this year)')

    // Switch to 2022-23, then to its third quarter.
    await page.getByLabel('Financial year').selectOption('2022')
    await page.getByRole('button', { name: 'Show figures', exact: true }).click()
    await page.getByRole('heading', { name: /^2022-23 \(1 April 2022 to 31 March 2023\)$/ }).waitFor()
    assert.deepEqual(await figures(page, 'headline'), ['4', '1'])
    await assertAccessible(page, 'dashboard 2022-23')
    await page.getByLabel('Period', { exact: true }).selectOption('3')
    await page.getByRole('button', { name: 'Show figures', exact: true }).click()
    await page.getByRole('heading', { name: /^Q3 2022-23/ }).waitFor()
    assert.deepEqual(await figures(page, 'headline'), ['1', '0'])
    await assertAccessible(page, 'dashboard Q3')

    // Other dates, through the details form.
    await page.getByText('Choose other dates').click()
    await page.locator('#from-day').fill('1')
    await page.locator('#from-month').fill('4')
    await page.locator('#from-year').fill('2022')
    await page.locator('#to-day').fill('31')
    await page.locator('#to-month').fill('5')
    await page.locator('#to-year').fill('2022')
    await page.getByRole('button', { name: 'Show figures for these dates' }).click()
    await page.getByRole('heading', { name: '1 April 2022 to 31 May 2022' }).waitFor()
    await assertAccessible(page, 'dashboard custom dates')

    // A figure opens the cases behind it.
    await page.locator('#table-headline tbody tr').first().locator('a').first().click()
    await page.getByRole('heading', { name: 'Concerns received' }).waitFor()
    assert.equal(await page.locator('tbody tr').count(), 2)
    await assertAccessible(page, 'cases behind a figure')

    // The quarterly scorecard, downloaded both ways.
    await page.goto(`${app.url}/reports/scorecard?year=2022`)
    await page.getByRole('heading', { name: 'Quarterly scorecard 2022-23' }).waitFor()
    await assertAccessible(page, 'scorecard')
    const csv = await downloadFrom(page, () => page.locator('a', { hasText: 'Download this table as CSV' }).first().click())
    assert.equal(csv.name, 'kestrel-scorecard-2022-23-headline.csv')
    assert.match(csv.bytes.toString('utf8'), /\r\nConcerns received,2,0,1,1,4\r\n/)
    const xlsx = await downloadFrom(page, () => page.getByRole('link', { name: 'Download the whole scorecard as a spreadsheet (XLSX)' }).click())
    assert.equal(xlsx.name, 'kestrel-scorecard-2022-23.xlsx')
    const sheet = await readSheet(xlsx.bytes, 1)
    assert.deepEqual(sheet.find((r) => r[0] === 'Concerns received'), ['Concerns received', 2, 0, 1, 1, 4])

    // The other report pages pass axe too.
    await page.goto(`${app.url}/reports/adults-collection?year=2022&share=outside`)
    await page.getByRole('heading', { name: /Safeguarding Adults Collection tables/ }).waitFor()
    await assertAccessible(page, 'adults collection (shared)')
    await page.goto(`${app.url}/reports/trends?year=2022`)
    await page.getByRole('heading', { name: 'Trends to 2022-23' }).waitFor()
    await assertAccessible(page, 'trends')
    await page.getByRole('link', { name: 'Import' }).click()
    await page.getByRole('heading', { name: 'Import historical concerns' }).waitFor()
    await assertAccessible(page, 'import')
    await page.getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('heading', { name: 'Report settings' }).waitFor()
    await assertAccessible(page, 'settings')

    // The committee report, on the page and as a PDF.
    await page.getByRole('link', { name: 'Committee report' }).click()
    await page.getByLabel('Financial year').selectOption('2022')
    await page.getByRole('button', { name: 'Show report' }).click()
    await page.getByRole('heading', { name: 'Safeguarding performance report 2022-23' }).waitFor()
    assert.match(await page.locator('[data-paragraph="volume"]').innerText(), /During 2022-23 DSOs managed a total of 4 referrals from members of staff\. This compared with 1 referral received during 2021-22\./)
    await assertAccessible(page, 'committee report')
    const pdf = await downloadFrom(page, () => page.getByRole('link', { name: 'Download this report as a PDF' }).click())
    assert.equal(pdf.name, 'kestrel-committee-report-2022-23.pdf')
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-')
    assert.match(pdf.bytes.toString('latin1'), /\/StructTreeRoot/)

    assert.deepEqual(consoleErrors, [], 'no console errors or CSP refusals')
    await context.close()
  })
})
