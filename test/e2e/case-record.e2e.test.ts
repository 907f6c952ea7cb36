import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { caseTeam, openCase, type CaseTeam } from '../helpers/casework.js'
import { minimalPdf } from '../helpers/sample-files.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

/**
 * The case record's tabs in a real browser, used as a DSO would: link the person at risk to an
 * earlier concern, write a note and correct it, set a task, upload a document, add to the
 * chronology; then a manager restricts the case. axe runs on every page.
 */
describe('browser: the case record', () => {
  let app: TestApp
  let browser: Browser
  let team: CaseTeam
  let earlier: string
  let caseId: string

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T09:00:00Z' })
    const org = await app.factories.organisation()
    team = await caseTeam(app, org)
    earlier = await openCase(app, team, { personName: 'John Smith', personDateOfBirth: '1961-04-02', personPostcode: 'WM4 7QT' })
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${earlier}/people`)
    await lead.post(`/concerns/${earlier}/people/new`, { fromReferral: 'yes' })
    app.clock.advanceMinutes(60)
    caseId = await openCase(app, team, { personName: 'Jon Smyth', personDateOfBirth: '1961-04-02', personPostcode: 'WM4 7QT' })
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  it('lets a DSO work the case through every tab, with no accessibility violations', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors = watchConsole(page)
    await signIn(page, app.url, team.lead.email, team.lead.password)
    await page.getByRole('link', { name: 'Cases', exact: true }).click()
    await assertAccessible(page, 'cases')
    await page.getByLabel('Reference or name').fill('Smyth')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.locator('main').getByRole('link', { name: /SG-2026-/ }).click()

    await page.getByRole('link', { name: 'People' }).click()
    await assertAccessible(page, 'people tab with a match offered')
    assert.match(await page.locator('.kestrel-match').innerText(), /John Smith[\s\S]*Strong match/)
    await page.getByRole('button', { name: 'Link John Smith: this is the same person' }).click()
    await page.getByText('1 previous concern about this person').waitFor()
    await assertAccessible(page, 'people tab, linked')

    await page.getByRole('link', { name: 'Notes' }).click()
    await page.getByLabel('Add a note').fill('Phoned Mr Smyth. He is staying with his sister.')
    await page.getByRole('button', { name: 'Add note' }).click()
    await page.getByText('Your note has been added.').waitFor()
    await assertAccessible(page, 'notes')
    await page.getByRole('link', { name: /Correct this note/ }).click()
    await assertAccessible(page, 'correct a note')
    await page.getByLabel('Your correction').fill('Phoned Mr Smyth. He is staying with his brother.')
    await page.getByRole('button', { name: 'Add correction' }).click()
    await page.getByText('Corrected by').waitFor()

    await page.getByRole('link', { name: 'Tasks' }).click()
    await page.getByRole('button', { name: 'Add a task' }).click()
    await assertAccessible(page, 'add a task')
    await page.getByRole('button', { name: 'Add task' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    await assertAccessible(page, 'add a task with errors')
    await page.getByLabel('What needs to be done').fill('Chase ASC outcome')
    await page.getByLabel('Who will do it').selectOption({ label: 'Lena Lead' })
    await page.getByLabel('Day').fill('17')
    await page.getByLabel('Month').fill('3')
    await page.getByLabel('Year').fill('2026')
    await page.getByRole('button', { name: 'Add task' }).click()
    await page.getByText('The task has been added.').waitFor()
    await assertAccessible(page, 'tasks')

    await page.getByRole('link', { name: 'Documents' }).click()
    await page.getByLabel('File').setInputFiles({ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: Buffer.from(minimalPdf()) })
    await page.getByRole('button', { name: 'Add document' }).click()
    await page.getByText('The document has been added.').waitFor()
    await assertAccessible(page, 'documents')
    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: /Download/ }).click()
    assert.equal((await download).suggestedFilename(), 'minutes.pdf')

    await page.getByRole('link', { name: 'Chronology' }).click()
    await page.getByRole('button', { name: 'Add an entry' }).click()
    await assertAccessible(page, 'add a chronology entry')
    await page.getByLabel('Day').fill('9')
    await page.getByLabel('Month').fill('3')
    await page.getByLabel('Year').fill('2026')
    await page.getByLabel('Category').selectOption('Home visit')
    await page.getByLabel('What happened').fill('Visited with ASC.')
    await page.getByLabel('This is a significant event').check()
    await page.getByRole('button', { name: 'Add entry' }).click()
    await page.locator('.moj-timeline__item', { hasText: 'Visited with ASC.' }).waitFor()
    await assertAccessible(page, 'chronology')
    await page.getByRole('link', { name: 'Printable chronology' }).click()
    await assertAccessible(page, 'printable chronology')
    await page.goto(`${app.url}/`)
    assert.match(await page.locator('#my-tasks ~ table').first().innerText(), /Chase ASC outcome/)
    await assertAccessible(page, 'home with tasks')
    await context.close()

    const managerContext = await browser.newContext()
    const manager = await managerContext.newPage()
    const managerErrors = watchConsole(manager)
    await signIn(manager, app.url, team.manager.email, team.manager.password)
    await manager.goto(`${app.url}/concerns/${caseId}/access`)
    await assertAccessible(manager, 'access')
    await manager.getByLabel('Yes, only the people named below can open it').check()
    await manager.getByLabel('Reason').fill('His sister works for the council.')
    await manager.getByRole('button', { name: 'Save' }).click()
    await manager.getByText('The case is restricted to the people named.').waitFor()
    await assertAccessible(manager, 'access, restricted')
    await manager.getByRole('link', { name: 'Who has viewed' }).click()
    await assertAccessible(manager, 'who has viewed')
    await manager.goto(`${app.url}/concerns/${earlier}/people`)
    await manager.getByRole('link', { name: /Person record/ }).click()
    await assertAccessible(manager, 'person record')
    await manager.goto(`${app.url}/break-glass`)
    await assertAccessible(manager, 'break glass')
    await managerContext.close()

    assert.deepEqual([...errors, ...managerErrors], [])
  })
})
