import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestUser } from '../helpers/factories.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'

describe('browser: seeing where you are signed in and signing out of the other sessions', () => {
  let app: TestApp
  let browser: Browser
  let user: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-07-09T10:15:00Z' })
    const org = await app.factories.organisation()
    user = await app.factories.user(org, [], { name: 'Sam Staff' })
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  it('lists the sessions and signs out of one, then of all the others, with no accessibility violations', async () => {
    const phone = await browser.newContext({ userAgent: SAFARI_IPHONE })
    const phonePage = await phone.newPage()
    await signIn(phonePage, app.url, user.email, user.password)
    await phonePage.getByRole('heading', { name: 'Hello, Sam Staff' }).waitFor()
    const laptop = await browser.newContext({ userAgent: FIREFOX_WINDOWS })
    const laptopPage = await laptop.newPage()
    await signIn(laptopPage, app.url, user.email, user.password)
    await laptopPage.getByRole('heading', { name: 'Hello, Sam Staff' }).waitFor()

    const context = await browser.newContext()
    const page = await context.newPage()
    const consoleErrors = watchConsole(page)
    await signIn(page, app.url, user.email, user.password)
    await page.getByRole('link', { name: 'Your sessions' }).click()
    await page.getByRole('heading', { name: 'Your sessions' }).waitFor()
    const rows = await page.locator('#sessions tbody tr').allInnerTexts()
    assert.equal(rows.length, 3)
    assert.match(rows[0]!, /This device/)
    assert.ok(rows.some((r) => /Safari on iPhone\s+9 July 2026 at 11:15am/.test(r)), rows.join('\n'))
    assert.ok(rows.some((r) => /Firefox on Windows/.test(r)))
    await assertAccessible(page, 'your sessions')

    await page.getByRole('button', { name: /^Sign out of Safari on iPhone/ }).click()
    await page.getByText('You have been signed out of that session.').waitFor()
    await assertAccessible(page, 'your sessions after signing out of one')
    await phonePage.reload()
    await phonePage.getByRole('heading', { name: 'Sign in to Kestrel' }).waitFor()

    await page.getByRole('button', { name: 'Sign out of all other sessions' }).click()
    await page.getByText('You have been signed out of 1 other session.').waitFor()
    assert.match(await page.locator('main').innerText(), /You are not signed in anywhere else/)
    await assertAccessible(page, 'your sessions after signing out of the others')
    await laptopPage.reload()
    await laptopPage.getByRole('heading', { name: 'Sign in to Kestrel' }).waitFor()
    await page.goto(`${app.url}/`)
    await page.getByRole('heading', { name: 'Hello, Sam Staff' }).waitFor()

    await Promise.all([phone.close(), laptop.close(), context.close()])
    assert.deepEqual(consoleErrors, [], 'no console errors or CSP refusals')
  })

  it('works without JavaScript', async () => {
    const user = await app.factories.user(await app.factories.organisation('Another Council'))
    const other = await app.signedIn(user)
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await signIn(page, app.url, user.email, user.password)
    await page.goto(`${app.url}/account/sessions`)
    assert.equal(await page.locator('#sessions tbody tr').count(), 2)
    await page.getByRole('button', { name: 'Sign out of all other sessions' }).click()
    await page.getByText('You have been signed out of 1 other session.').waitFor()
    assert.equal((await other.get('/')).location, '/sign-in')
    await context.close()
  })
})
