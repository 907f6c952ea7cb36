import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'
import { enrolAuthenticator } from '../helpers/mfa.js'
import { totpAt } from '../helpers/totp.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

describe('browser: setting up two-step verification and signing in with it', () => {
  let app: TestApp
  let browser: Browser
  let org: TestOrganisation
  let dso: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation('Requiring Council', { mfaRequired: true })
    dso = await app.factories.user(org, ['dso'], { name: 'Dana Officer' })
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  async function signOut(page: Page) {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to Kestrel' }).waitFor()
  }

  it('a DSO is made to set it up, then signs in with a code and with a recovery code, with no accessibility violations', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const consoleErrors = watchConsole(page)

    await signIn(page, app.url, dso.email, dso.password)
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor()
    assert.match(page.url(), /\/account\/two-step-verification\/set-up$/)
    const qr = page.getByRole('img', { name: /QR code/ })
    assert.ok(await qr.isVisible(), 'the QR code is shown (its data: URI is allowed by the CSP)')
    assert.ok((await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 0, 'and it rendered')
    await assertAccessible(page, 'set-up')

    // Going elsewhere first is not allowed.
    await page.goto(`${app.url}/my-concerns`)
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor()

    const secret = (await page.locator('#setup-key').innerText()).replace(/\s/g, '')
    await page.getByLabel('Code from your authenticator app').fill('000000' === totpAt(secret, app.clock.now()) ? '111111' : '000000')
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    assert.deepEqual(await page.locator('.govuk-error-summary li').allInnerTexts(), ['The code is not correct. Enter the code your authenticator app shows now'])
    await assertAccessible(page, 'set-up with an error')

    await page.getByLabel('Code from your authenticator app').fill(totpAt(secret, app.clock.now()))
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click()
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor()
    const recoveryCodes = (await page.locator('#recovery-codes li').allInnerTexts()).map((c) => c.trim())
    assert.equal(recoveryCodes.length, 10)
    await assertAccessible(page, 'recovery codes')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: 'Hello, Dana Officer' }).waitFor()
    await assertAccessible(page, 'home')

    // Signing in again: the password, then a code (the next one the app shows).
    await signOut(page)
    await signIn(page, app.url, dso.email, dso.password)
    await page.getByRole('heading', { name: 'Enter the code from your authenticator app' }).waitFor()
    await assertAccessible(page, 'code step')
    app.clock.advance(30_000)
    await page.getByLabel('Enter the code from your authenticator app').fill(totpAt(secret, app.clock.now()))
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: 'Hello, Dana Officer' }).waitFor()

    await page.getByRole('link', { name: 'Two-step verification' }).click()
    await page.getByRole('heading', { name: 'Two-step verification', exact: true }).waitFor()
    assert.match(await page.locator('main').innerText(), /Recovery codes left\s+10/)
    await assertAccessible(page, 'two-step overview')

    // Lost phone: a recovery code instead.
    await signOut(page)
    await signIn(page, app.url, dso.email, dso.password)
    await page.getByRole('link', { name: 'Use a recovery code instead' }).click()
    await page.getByRole('heading', { name: 'Enter a recovery code' }).waitFor()
    await assertAccessible(page, 'recovery code step')
    await page.getByLabel('Enter a recovery code').fill(recoveryCodes[0]!)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: 'Hello, Dana Officer' }).waitFor()
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /You have 9 recovery codes left/)
    await assertAccessible(page, 'home after a recovery code')
    await context.close()

    assert.deepEqual(consoleErrors, [], 'no console errors or CSP refusals')
  })

  it('an administrator turns the requirement on and resets a colleague, with no accessibility violations', async () => {
    const council = await app.factories.organisation('Choosing Council', { mfaRequired: false })
    const admin = await app.factories.user(council, ['admin'], { name: 'Adrian Admin' })
    const colleague = await app.factories.user(council, ['auditor'], { name: 'Aubrey Auditor' })
    await enrolAuthenticator(app, await app.signedIn(colleague))
    const context = await browser.newContext()
    const page = await context.newPage()
    const consoleErrors = watchConsole(page)

    await signIn(page, app.url, admin.email, admin.password)
    await page.goto(`${app.url}/admin/users/${colleague.id}`)
    await page.getByRole('link', { name: /two-step verification/ }).click()
    await page.getByRole('heading', { name: 'Two-step verification', exact: true }).waitFor()
    await assertAccessible(page, 'admin: colleague two-step page')
    await page.getByRole('button', { name: 'Reset two-step verification' }).click()
    await page.getByText('Aubrey Auditor’s two-step verification has been reset').waitFor()
    assert.match(await page.locator('main').innerText(), /has not set up two-step verification/)
    await assertAccessible(page, 'admin: after the reset')

    await page.goto(`${app.url}/`)
    await page.getByRole('link', { name: 'Security settings' }).click()
    await page.getByRole('heading', { name: 'Security settings' }).waitFor()
    await assertAccessible(page, 'security settings')
    await page.getByLabel('Yes, require it for these roles').check()
    await page.getByRole('button', { name: 'Save settings' }).click()
    // The administrator is covered too: straight to setting it up, with the confirmation shown there.
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor()
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Two-step verification is now required/)
    await assertAccessible(page, 'set-up after saving the setting')
    await page.goto(`${app.url}/admin/users`)
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor()
    await context.close()
    assert.deepEqual(consoleErrors, [], 'no console errors or CSP refusals')
  })
})
