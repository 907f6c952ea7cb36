import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { saveNotificationSettings } from '../../src/repositories/notification-settings-repository.js'
import { EMAIL_KINDS } from '../../src/services/notification-messages.js'
import { seal } from '../../src/services/secret-box.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

const API_KEY = 'kestrel_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0'
const TEMPLATE_ID = 'f33517ff-2a88-4f6e-b855-c550268ce08a'
const GENERAL_ID = '0c6f3d2e-5b1a-4c8e-9f7d-2a4b6c8d0e1f'

describe('browser: an administrator covers every kind of email with a general GOV.UK Notify template', () => {
  let app: TestApp
  let browser: Browser
  let org: TestOrganisation
  let admin: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-07-09T10:15:00Z' })
    org = await app.factories.organisation()
    admin = await app.factories.user(org, ['admin'], { name: 'Adrian Admin' })
    // Saved before "account_security" emails existed: every other kind has its own template.
    const older = Object.fromEntries(EMAIL_KINDS.filter((k) => k !== 'account_security').map((k) => [k, TEMPLATE_ID]))
    await saveNotificationSettings(app.database.db, org.id, 0, { emailDelivery: 'notify', notifyApiKey: seal(app.server.deps.config.encryptionKeys!, API_KEY, `notify_api_key:${org.id}`), notifyTemplates: older }, app.clock.now())
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  it('sees which emails wait in the outbox, saves a general template, and the warning goes; no accessibility violations', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const consoleErrors = watchConsole(page)
    await signIn(page, app.url, admin.email, admin.password)
    await page.goto(`${app.url}/admin/notification-settings`)
    await page.getByRole('heading', { name: 'Email settings' }).waitFor()
    assert.match(await page.locator('.govuk-warning-text').innerText(), /wait in the outbox: Your password or two-step verification changed/)
    await assertAccessible(page, 'email settings with an uncovered kind')

    await page.getByLabel('General template id').fill('not a template')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.locator('.govuk-error-summary').waitFor()
    await assertAccessible(page, 'email settings with an error')

    await page.getByLabel('General template id').fill(GENERAL_ID)
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Email settings saved.').waitFor()
    assert.equal(await page.locator('.govuk-warning-text').count(), 0)
    assert.equal(await page.getByLabel('General template id').inputValue(), GENERAL_ID)
    await assertAccessible(page, 'email settings saved')
    await context.close()
    assert.deepEqual(consoleErrors, [], 'no console errors or CSP refusals')
  })
})
