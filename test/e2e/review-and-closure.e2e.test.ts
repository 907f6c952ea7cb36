import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { caseTeam, openCase, type CaseTeam } from '../helpers/casework.js'
import type { TestUser } from '../helpers/factories.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

/**
 * The governance loop of seed 000 §4.3 in a real browser: a weekly meeting gives a new case its
 * First Review; the Lead DSO marks it ready for closure; the next meeting records its Final
 * Review; the Senior Lead Officer approves the closure; the case is read-only and the referrer
 * sees "Closed". The case is raised, allocated and decided through the services (triage has its
 * own browser journey); every step from the first meeting on is walked in the browser, with axe
 * on every page.
 */
describe('browser: weekly case review and closure sign-off', () => {
  let app: TestApp
  let browser: Browser
  let team: CaseTeam
  let caseId: string
  let reference: string
  // One list per page, read at the end (watchConsole fills its list as messages arrive).
  const consoleErrors: string[][] = []

  before(async () => {
    // Tuesday 3 March 2026, 9am.
    app = await startTestApp({ now: '2026-03-03T09:00:00Z' })
    const org = await app.factories.organisation()
    team = await caseTeam(app, org)
    caseId = await openCase(app, team, { personName: 'Margaret Ellis', personDateOfBirth: '1941-02-28' })
    reference = (await app.database.db.selectFrom('concern').select('reference').where('id', '=', caseId).executeTakeFirstOrThrow()).reference
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

  async function holdMeeting(label: string, section: 'First Reviews' | 'Final Reviews', notes: string) {
    const page = await as(team.manager)
    await page.getByRole('link', { name: 'Case reviews' }).click()
    await assertAccessible(page, `${label}: meetings`)
    await page.getByRole('button', { name: 'Create a meeting' }).click()
    await assertAccessible(page, `${label}: new meeting`)
    await page.getByLabel('Lena Lead').check()
    await page.getByLabel('Sally Senior').check()
    await page.getByRole('button', { name: 'Create meeting and build agenda' }).click()
    await page.getByText('The meeting has been created and its agenda built.').waitFor()
    await assertAccessible(page, `${label}: agenda`)
    const row = page.locator('h2', { hasText: section }).locator('xpath=following-sibling::table[1]').locator('tr', { hasText: reference })
    assert.match(await row.innerText(), /Margaret Ellis/)
    assert.match(await row.innerText(), /Not yet discussed/)
    await row.getByRole('link', { name: `Record the outcome for ${reference}` }).click()
    await assertAccessible(page, `${label}: record the outcome`)
    await page.getByLabel('Agreed', { exact: true }).check()
    await page.getByLabel('Notes').fill(notes)
    await page.getByRole('button', { name: 'Save outcome' }).click()
    await page.getByText('The outcome has been recorded.').waitFor()
    const recorded = page.locator('h2', { hasText: section }).locator('xpath=following-sibling::table[1]').locator('tr', { hasText: reference })
    assert.match(await recorded.innerText(), new RegExp(`Agreed: ${notes}`))
    await assertAccessible(page, `${label}: agenda with the outcome`)
    await page.getByRole('link', { name: 'Printable agenda and minutes' }).click()
    assert.match(await page.locator('h1').innerText(), /Minutes: weekly case review/)
    await assertAccessible(page, `${label}: printable minutes`)
    await page.context().close()
  }

  it('walks from the First Review to the closed case', async () => {
    // 1. The weekly meeting: the new case is on the agenda for its First Review.
    await holdMeeting('first meeting', 'First Reviews', 'New case, ASC referral made.')

    // 2. The Lead DSO marks the case ready for closure.
    app.clock.set('2026-03-06T10:00:00Z')
    const lead = await as(team.lead)
    await lead.goto(`${app.url}/concerns/${caseId}`)
    await lead.getByRole('link', { name: 'Reviews and closure' }).click()
    await assertAccessible(lead, 'reviews tab')
    assert.match(await lead.locator('main table').innerText(), /First Review[\s\S]*Agreed/)
    await lead.getByRole('button', { name: 'Mark ready for closure' }).click()
    await lead.getByText('It will have its Final Review at the next weekly case review.').first().waitFor()
    await assertAccessible(lead, 'reviews tab, ready for closure')
    await lead.context().close()

    // 3. The next weekly meeting records the Final Review.
    app.clock.set('2026-03-10T09:00:00Z')
    await holdMeeting('second meeting', 'Final Reviews', 'Care package in place; agreed to close.')

    // 4. The Lead DSO requests closure with the closing summary and the SAC answers.
    const leadAgain = await as(team.lead)
    await leadAgain.goto(`${app.url}/concerns/${caseId}/reviews`)
    await leadAgain.getByRole('button', { name: 'Request closure' }).click()
    await assertAccessible(leadAgain, 'request closure')
    await leadAgain.getByLabel('Closing summary').fill('Care package in place. Mrs Ellis is safe and says she feels safe.')
    await leadAgain.getByLabel('Risk identified and action taken', { exact: true }).check()
    await leadAgain.getByLabel('Risk reduced').check()
    await leadAgain.getByLabel('Yes, they were asked and outcomes were expressed').check()
    await leadAgain.getByLabel('Partially achieved').check()
    await leadAgain.getByRole('button', { name: 'Request closure' }).click()
    await leadAgain.getByText('Closure has been requested.').waitFor()
    await assertAccessible(leadAgain, 'closure requested')
    await leadAgain.context().close()

    // 5. The Senior Lead Officer approves it from the closure queue.
    const slo = await as(team.slo)
    await slo.getByRole('link', { name: 'Closures' }).click()
    await assertAccessible(slo, 'closure queue')
    await slo.getByRole('link', { name: reference }).click()
    await assertAccessible(slo, 'closure request')
    assert.match(await slo.locator('main').innerText(), /Care package in place\. Mrs Ellis is safe/)
    await slo.getByLabel('Approve: close the case').check()
    await slo.getByRole('button', { name: 'Save decision' }).click()
    await slo.getByText('The case is closed.').waitFor()
    await assertAccessible(slo, 'closed case')
    await slo.context().close()

    // 6. The case is read-only: no forms to add anything.
    const leadLast = await as(team.lead)
    await leadLast.goto(`${app.url}/concerns/${caseId}/notes`)
    assert.match(await leadLast.locator('.kestrel-closed-notice').innerText(), /This case is closed, so it is read-only/)
    assert.equal(await leadLast.getByLabel('Add a note').count(), 0)
    await assertAccessible(leadLast, 'closed case notes')
    // Wait for each page to arrive: the absence checks below would pass on the page being left,
    // and axe would then run mid-navigation.
    await leadLast.getByRole('link', { name: 'Tasks' }).click()
    await leadLast.waitForURL(`${app.url}/concerns/${caseId}/tasks`)
    assert.equal(await leadLast.getByRole('button', { name: 'Add a task' }).count(), 0)
    await leadLast.getByRole('link', { name: 'Documents' }).click()
    await leadLast.waitForURL(`${app.url}/concerns/${caseId}/documents`)
    assert.equal(await leadLast.locator('input[type="file"]').count(), 0)
    await assertAccessible(leadLast, 'closed case documents')
    await leadLast.context().close()

    // 7. The referrer sees "Closed".
    const referrer = await as(team.referrer)
    await referrer.getByRole('link', { name: 'Your concerns' }).click()
    const row = referrer.locator('tr', { hasText: reference })
    assert.match(await row.innerText(), /Closed/)
    await assertAccessible(referrer, 'your concerns')
    await referrer.context().close()

    assert.deepEqual(consoleErrors.flat(), [], 'no console errors or CSP refusals')
  })
})
