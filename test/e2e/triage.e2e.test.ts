import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'
import { putOnDuty } from '../helpers/triage.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

describe('browser: a concern is triaged from the duty DSO to an onward referral and its outcome', () => {
  let app: TestApp
  let browser: Browser
  let org: TestOrganisation
  let staff: TestUser
  let duty: TestUser
  let lead: TestUser
  let second: TestUser
  const consoleErrors: string[][] = []

  before(async () => {
    // Monday 9 March 2026, 10:15 London time.
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
    duty = await app.factories.user(org, ['dso'], { name: 'Dot Duty' })
    lead = await app.factories.user(org, ['dso'], { name: 'Lena Lead' })
    second = await app.factories.user(org, ['dso'], { name: 'Sid Second' })
    await putOnDuty(app, org.id, [duty])
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  async function as(user: TestUser): Promise<Page> {
    const context = await browser.newContext()
    const page = await context.newPage()
    consoleErrors.push(watchConsole(page))
    await signIn(page, app.url, user.email, user.password)
    return page
  }

  it('walks the whole journey with no accessibility violations on any page', async () => {
    // 1. A member of staff raises a concern.
    let page = await as(staff)
    await page.getByRole('button', { name: 'Raise a safeguarding concern' }).click()
    await page.getByLabel('An adult').check()
    await page.getByLabel('Their full name').fill('Margaret Ellis')
    await page.getByLabel('Approximate age, if you do not know their date of birth').fill('81')
    await page.getByLabel('What happened, or what did you see or hear?').fill('Her nephew takes her bank card and she is frightened of him.')
    await page.getByLabel('Financial or Material Abuse').check()
    await page.getByLabel('Own Home').check()
    await page.locator('#immediateDanger-2').check()
    await page.getByLabel('Yes, they know and agree').check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('button', { name: 'Send concern' }).click()
    await page.getByRole('heading', { name: 'Concern sent' }).waitFor()
    const reference = (await page.locator('.govuk-panel__body strong').innerText()).trim()
    await page.context().close()

    // 2. The duty DSO allocates a Lead and a Second DSO.
    page = await as(duty)
    await assertAccessible(page, 'home (duty DSO, My work)')
    assert.match(await page.locator('main').innerText(), /On duty today: Dot Duty/)
    assert.match(await page.locator('#my-work + table').innerText(), new RegExp(`Allocate\\s+${reference}`))
    await page.getByRole('link', { name: 'New concerns', exact: true }).first().click()
    const row = page.locator('tr', { hasText: reference })
    assert.match(await row.innerText(), /Not allocated/)
    await assertAccessible(page, 'queue')
    await row.getByRole('link', { name: reference }).click()
    await assertAccessible(page, 'case summary (unallocated)')
    await page.getByRole('button', { name: 'Allocate Lead and Second DSO' }).click()
    await assertAccessible(page, 'allocate')
    // First, a mistake: the same person twice.
    await page.getByLabel('Lead DSO').selectOption({ label: 'Lena Lead' })
    await page.getByLabel('Second DSO').selectOption({ label: 'Lena Lead' })
    await page.getByRole('button', { name: 'Save allocation' }).click()
    assert.deepEqual(await page.locator('.govuk-error-summary li').allInnerTexts(), ['The Second DSO must be a different person from the Lead DSO'])
    await assertAccessible(page, 'allocate with an error')
    await page.getByLabel('Second DSO').selectOption({ label: 'Sid Second' })
    await page.getByRole('button', { name: 'Save allocation' }).click()
    await page.getByText('has been allocated').waitFor()
    assert.match(await page.locator('#allocation + .govuk-summary-list').innerText(), /Lena Lead[\s\S]*Sid Second/)
    await assertAccessible(page, 'case summary (allocated)')
    await page.context().close()

    // 3. The Second DSO is told, opens it from their notifications and agrees.
    page = await as(second)
    assert.match(await page.locator('.kestrel-account__link').innerText(), /Notifications\s*1/)
    await page.locator('.kestrel-account__link').click()
    await assertAccessible(page, 'notifications')
    await page.getByRole('link', { name: new RegExp(`You are the Second DSO for concern ${reference}`) }).click()
    await page.getByLabel('Note for the Lead DSO (optional)').fill('Agree: refer to Adult Social Care.')
    await page.getByRole('button', { name: 'Confirm I agree' }).click()
    await page.getByText('Your agreement has been recorded').waitFor()
    await assertAccessible(page, 'case summary (agreed)')
    await page.context().close()

    // 4. The Lead records the decision and an onward referral, consent refused but referred because of risk.
    page = await as(lead)
    await page.locator('#my-work + table').getByRole('link', { name: reference }).click()
    await page.getByRole('button', { name: 'Record the initial decision' }).click()
    await assertAccessible(page, 'decision form')
    assert.match(await page.locator('main').innerText(), /Sid Second \(Second DSO\) confirmed their agreement in Kestrel/)
    await page.getByLabel('High', { exact: true }).check()
    await page.getByLabel('Onward referral', { exact: true }).check()
    await page.getByRole('button', { name: 'Record decision' }).click()
    assert.deepEqual(await page.locator('.govuk-error-summary li').allInnerTexts(), ['Enter the rationale for the decision'])
    await assertAccessible(page, 'decision form with an error')
    await page.getByLabel('Rationale').fill('Financial abuse by a family member; she is frightened. Adult Social Care must assess.')
    await page.getByRole('button', { name: 'Record decision' }).click()
    await page.getByRole('heading', { name: 'Add an onward referral' }).waitFor()
    await assertAccessible(page, 'add an onward referral')
    await page.getByLabel('Agency referred to').selectOption('Adult Social Care')
    await page.getByLabel('Phone', { exact: true }).check()
    await page.getByLabel('Who you spoke to or sent it to (optional)').fill('Duty social worker')
    await page.getByLabel('Consent refused, referred anyway').check()
    await page.getByLabel('Risk to others').check()
    await page.getByRole('button', { name: 'Save referral' }).click()
    await page.getByText('The referral to Adult Social Care has been recorded').waitFor()
    const referralText = await page.locator('main').innerText()
    assert.match(referralText, /Consent refused, referred anyway – Risk to others/)
    assert.match(referralText, /Follow up by\s+16 March 2026/)
    await assertAccessible(page, 'referrals tab')
    await page.context().close()

    // 5. The referrer sees that it was addressed, and by whom — never the decision.
    page = await as(staff)
    await page.getByRole('link', { name: 'Your concerns', exact: true }).first().click()
    assert.match(await page.locator('tr', { hasText: reference }).innerText(), /Addressed/)
    await assertAccessible(page, 'your concerns')
    await page.getByRole('link', { name: reference }).click()
    const mine = await page.locator('main').innerText()
    assert.match(mine, /Lena Lead is the Lead Designated Safeguarding Officer/)
    for (const hidden of ['Onward referral', 'Adult Social Care', 'High', 'Rationale', 'frightened. Adult Social Care must assess']) assert.ok(!mine.includes(hidden), `referrer sees ${hidden}`)
    await assertAccessible(page, 'your concern (addressed)')
    await page.context().close()

    // 6. Later, the follow-up date passes; the Lead sees it on My work and records the outcome.
    app.clock.set('2026-03-17T09:00:00Z')
    page = await as(lead)
    const myWork = page.locator('#my-work + table')
    assert.match(await myWork.innerText(), /Follow up the referral to Adult Social Care/)
    await assertAccessible(page, 'home (overdue follow-up)')
    await myWork.getByRole('link', { name: reference }).click()
    await page.getByRole('link', { name: /Record\s+outcome of the referral to Adult Social Care/ }).click()
    await assertAccessible(page, 'record the outcome')
    await page.getByLabel('Accepted by the agency').check()
    await page.getByLabel('Note (optional)').fill('s42 enquiry opened')
    await page.getByRole('button', { name: 'Save outcome' }).click()
    await page.getByText('The outcome has been recorded').waitFor()
    assert.match(await page.locator('main').innerText(), /Accepted by the agency – s42 enquiry opened/)
    await assertAccessible(page, 'referrals tab with outcome')
    await page.getByRole('link', { name: 'Duty rota' }).click()
    await assertAccessible(page, 'duty rota')
    await page.context().close()

    assert.deepEqual(consoleErrors.flat(), [], 'no console errors or CSP refusals')
  })
})
