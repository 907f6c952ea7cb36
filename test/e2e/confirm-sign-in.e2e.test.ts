import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestOrganisation } from '../helpers/factories.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

describe('browser: confirming it is you before managing people', () => {
  let app: TestApp
  let browser: Browser
  let org: TestOrganisation

  before(async () => {
    app = await startTestApp({ now: '2026-07-09T10:15:00Z' })
    org = await app.factories.organisation()
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  /** Twenty minutes of work elsewhere in Kestrel: the session stays open, the password gets old. */
  async function twentyMinutesLater(page: Page) {
    for (const minutes of [10, 10]) {
      app.clock.advanceMinutes(minutes)
      await page.goto(`${app.url}/`)
    }
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`asks for the password, shows an error clearly, then goes on to the page asked for${javaScriptEnabled ? '' : ' (without JavaScript)'}`, async () => {
      const admin = await app.factories.user(org, ['admin'], { name: 'Adrian Admin' })
      const context = await browser.newContext({ javaScriptEnabled })
      const page = await context.newPage()
      const consoleErrors = watchConsole(page)
      await signIn(page, app.url, admin.email, admin.password)
      await twentyMinutesLater(page)

      await page.goto(`${app.url}/admin/users`)
      await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor()
      if (javaScriptEnabled) await assertAccessible(page, 'confirm it is you')

      await page.getByLabel('Password', { exact: true }).fill('not my password')
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByRole('alert').getByText('Your password is not correct').waitFor()
      assert.match(await page.title(), /^Error: /)
      if (javaScriptEnabled) await assertAccessible(page, 'confirm it is you, with an error')

      await page.getByLabel('Password', { exact: true }).fill(admin.password)
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByRole('heading', { name: 'Users' }).waitFor()
      assert.equal(new URL(page.url()).pathname, '/admin/users')
      await context.close()
      assert.deepEqual(consoleErrors, [], 'no console errors or CSP refusals')
    })
  }
})
