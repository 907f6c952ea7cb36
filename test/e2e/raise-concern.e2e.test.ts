import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

describe('browser: a member of staff raises a concern and a DSO sees it in the queue', () => {
  let app: TestApp
  let browser: Browser
  let org: TestOrganisation
  let staff: TestUser
  let dso: TestUser

  before(async () => {
    // Monday 9 March 2026, 10:15 London time: the deadline is the end of Wednesday 11 March.
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
    dso = await app.factories.user(org, ['dso'], { name: 'Dana Officer' })
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  it('walks the whole journey, with no accessibility violations on any page', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const consoleErrors = watchConsole(page)

    await page.goto(`${app.url}/sign-in`)
    await assertAccessible(page, 'sign-in')
    await signIn(page, app.url, staff.email, staff.password)
    await assertAccessible(page, 'home')

    await page.getByRole('button', { name: 'Raise a safeguarding concern' }).click()
    await assertAccessible(page, 'concern form')

    // A first attempt with mistakes: no types chosen and an impossible date of birth.
    await page.getByLabel('An adult').check()
    await page.getByLabel('Their full name').fill('Margaret Ellis')
    await page.locator('#dob-day').fill('31')
    await page.locator('#dob-month').fill('2')
    await page.locator('#dob-year').fill('1941')
    const narrative = 'Mrs Ellis said her nephew "borrows" her bank card.\n\nShe seemed frightened of him.  Two spaces kept.'
    await page.getByLabel('What happened, or what did you see or hear?').fill(narrative)
    await page.getByLabel('Own Home').check()
    await page.locator('#immediateDanger-2').check()
    await page.getByLabel('Yes, they know and agree').check()
    await page.getByRole('button', { name: 'Continue' }).click()

    const summary = page.locator('.govuk-error-summary')
    await summary.waitFor()
    const problems = await summary.locator('li').allInnerTexts()
    assert.deepEqual(problems, ['Date of birth must be a real date', 'Select at least one type of concern'])
    await assertAccessible(page, 'concern form with errors')

    // Correct the mistakes; what was typed is still there.
    assert.equal(await page.getByLabel('Their full name').inputValue(), 'Margaret Ellis')
    await page.locator('#dob-day').fill('28')
    await page.getByLabel('Financial or Material Abuse').check()
    await page.getByRole('button', { name: 'Continue' }).click()

    await page.getByRole('heading', { name: 'Check your answers before sending your concern' }).waitFor()
    await assertAccessible(page, 'check your answers')
    await page.getByRole('button', { name: 'Send concern' }).click()

    await page.getByRole('heading', { name: 'Concern sent' }).waitFor()
    const reference = (await page.locator('.govuk-panel__body strong').innerText()).trim()
    assert.match(reference, /^SG-2026-\d{5}$/)
    assert.match(await page.locator('main').innerText(), /by the end of\s+11 March 2026/)
    await assertAccessible(page, 'confirmation')

    await page.locator('main').getByRole('link', { name: 'your concerns' }).click()
    const row = page.locator('tr', { hasText: reference })
    assert.match(await row.innerText(), /Received/)
    await assertAccessible(page, 'your concerns')
    await row.getByRole('link', { name: reference }).click()
    assert.equal(await page.locator('.govuk-summary-list__row', { hasText: 'What happened' }).locator('.kestrel-exact-text').innerText(), narrative)
    await assertAccessible(page, 'your concern')
    await context.close()

    // The DSO sees it in the queue with the right deadline and opens exactly what was entered.
    const dsoContext = await browser.newContext()
    const dsoPage = await dsoContext.newPage()
    const dsoErrors = watchConsole(dsoPage)
    await signIn(dsoPage, app.url, dso.email, dso.password)
    await dsoPage.getByRole('link', { name: 'New concerns', exact: true }).first().click()
    const queueRow = dsoPage.locator('tr', { hasText: reference })
    const rowText = await queueRow.innerText()
    assert.match(rowText, /Margaret Ellis/)
    assert.match(rowText, /End of 11 March 2026/)
    assert.match(rowText, /2 working days left/)
    assert.match(rowText, /Housing Management/)
    await assertAccessible(dsoPage, 'queue')
    await queueRow.getByRole('link', { name: reference }).click()
    assert.equal(await dsoPage.locator('.govuk-summary-list__row', { hasText: 'What happened' }).locator('.kestrel-exact-text').innerText(), narrative)
    await assertAccessible(dsoPage, 'concern')
    await dsoContext.close()

    assert.deepEqual([...consoleErrors, ...dsoErrors], [], 'no console errors or CSP refusals')
  })
})
