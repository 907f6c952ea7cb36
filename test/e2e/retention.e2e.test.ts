import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { caseTeam, type CaseTeam } from '../helpers/casework.js'
import type { TestUser } from '../helpers/factories.js'
import { closedCaseWithContent } from '../helpers/retention.js'
import { assertAccessible, closeBrowser, launchBrowser, signIn, watchConsole } from './browser.js'

/**
 * Retention-driven disposal in a real browser: cases closed in March 2019 are due in March 2026
 * (adult cases six years after closure). A safeguarding manager proposes one for disposal and
 * places a legal hold on another; a Senior Lead Officer who did not propose it approves, and the
 * case's old address then says it was disposed of. The proposal and the approval are then made
 * again without JavaScript. Last (it stops every proposal), an administrator pauses disposal.
 * axe runs on every page visited with JavaScript, as in the other browser tests.
 */
describe('browser: records due for disposal, proposed by one person and approved by another', () => {
  let app: TestApp
  let browser: Browser
  let team: CaseTeam
  let admin: TestUser
  /** Proposed and approved in the browser with JavaScript. */
  let disposedCase: string
  /** Placed under a legal hold. */
  let heldCase: string
  /** Proposed and approved without JavaScript. */
  let plainCase: string
  /** Left due, to be seen while disposal is paused. */
  let keptCase: string
  const references = new Map<string, string>()
  /** What each page's console said, filled as messages arrive. */
  const consoles: string[][] = []

  before(async () => {
    // Tuesday 5 March 2019: the cases are raised and closed then.
    app = await startTestApp({ now: '2019-03-05T09:00:00Z' })
    const org = await app.factories.organisation()
    team = await caseTeam(app, org)
    admin = await app.factories.user(org, ['admin'], { name: 'Adrian Admin' })
    disposedCase = await closedCaseWithContent(app, team, '2019-03-05', { personName: 'Doris Dunmore' })
    heldCase = await closedCaseWithContent(app, team, '2019-03-05', { personName: 'Harold Holt' })
    plainCase = await closedCaseWithContent(app, team, '2019-03-05', { personName: 'Petra Plain' })
    keptCase = await closedCaseWithContent(app, team, '2019-03-05', { personName: 'Kenneth Kept' })
    for (const id of [disposedCase, heldCase, plainCase, keptCase]) {
      references.set(id, (await app.database.db.selectFrom('concern').select('reference').where('id', '=', id).executeTakeFirstOrThrow()).reference)
    }
    // Tuesday 10 March 2026: six years and a few days after they were closed. The clock stays
    // here, so each fresh sign-in below is recent enough to approve and to change settings.
    app.clock.set('2026-03-10T10:00:00Z')
    browser = await launchBrowser()
  })
  after(async () => {
    await closeBrowser(browser)
    await app?.stop()
  })

  const ref = (id: string) => references.get(id)!
  const dueRow = (page: Page, id: string) => page.locator('main tbody tr', { hasText: ref(id) })

  async function as(user: TestUser, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled })
    const page = await context.newPage()
    consoles.push(watchConsole(page))
    await signIn(page, app.url, user.email, user.password)
    await page.getByRole('heading', { name: `Hello, ${user.displayName}` }).waitFor()
    return page
  }

  /** Console errors and CSP refusals, less the one Chromium logs for a disposed record's 410 (sent on purpose). */
  const unexpectedConsoleErrors = () => consoles.flat().filter((e) => !/status of 410 \(Gone\)/.test(e))

  async function openRetention(page: Page) {
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Retention', exact: true }).click()
    await page.getByRole('heading', { name: 'Records due for disposal' }).waitFor()
  }

  it('lets a manager propose one due case and hold another, and a Senior Lead Officer who did not propose it approve', async () => {
    // 1. The safeguarding manager finds the due cases and proposes one for disposal.
    const manager = await as(team.manager)
    await openRetention(manager)
    await assertAccessible(manager, 'records due for disposal')
    assert.match(await manager.locator('main').innerText(), /4 records are due/)
    for (const id of [disposedCase, heldCase, plainCase, keptCase]) {
      assert.match(await dueRow(manager, id).innerText(), /Adult\s+5 March 2019\s+5 March 2025/)
      assert.equal(await dueRow(manager, id).getByRole('button', { name: `Propose disposal of ${ref(id)}` }).count(), 1)
    }
    await dueRow(manager, disposedCase).getByRole('button', { name: `Propose disposal of ${ref(disposedCase)}` }).click()
    await manager.locator('.govuk-notification-banner--success').getByText('Disposal proposed. A Senior Lead Officer who did not propose it must now approve it.').waitFor()
    assert.match(await dueRow(manager, disposedCase).innerText(), /Proposed by you on 10 March 2026/)
    assert.equal(await dueRow(manager, disposedCase).getByRole('button', { name: /^Propose disposal/ }).count(), 0)
    await assertAccessible(manager, 'records due for disposal, one proposed')

    // 2. The manager places a legal hold on another due case, from its Reviews and closure tab.
    await dueRow(manager, heldCase).getByRole('link', { name: ref(heldCase) }).click()
    await manager.getByRole('link', { name: 'Reviews and closure' }).click()
    await manager.getByRole('heading', { name: 'Retention', exact: true }).waitFor()
    assert.match(await manager.locator('main').innerText(), /This case may be disposed of from 5 March 2025/)
    await assertAccessible(manager, 'reviews and closure tab, due')
    await manager.getByRole('link', { name: 'Place a legal hold' }).click()
    await manager.getByRole('heading', { name: 'Place a legal hold' }).waitFor()
    await assertAccessible(manager, 'place a legal hold')
    const holdReason = 'Civil claim by the family, solicitors’ letter ref. HH/2026/14: keep everything.'
    await manager.getByLabel('Why must this case be kept?').fill(holdReason)
    await manager.getByRole('button', { name: 'Place legal hold' }).click()
    await manager.getByText('The legal hold is in place. The case will be kept until the hold is lifted.').waitFor()
    const warning = manager.locator('main .govuk-warning-text', { hasText: 'Legal hold:' })
    assert.match(await warning.innerText(), new RegExp(`Legal hold: ${holdReason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — placed by Morgan Manager on 10 March 2026\\. The case is kept until the hold is lifted\\.`))
    assert.equal(await manager.getByRole('link', { name: 'Lift the legal hold' }).count(), 1)
    await assertAccessible(manager, 'reviews and closure tab, on hold')
    await openRetention(manager)
    assert.equal(await dueRow(manager, heldCase).count(), 0, 'the held case is no longer listed as due')
    assert.match(await manager.locator('main').innerText(), /3 records are due/)
    assert.match(await manager.locator('main').innerText(), /1 closed case is under a legal hold and kept\./)
    await assertAccessible(manager, 'records due for disposal, one held')

    // 3. A Senior Lead Officer, who did not propose it, approves the disposal.
    const slo = await as(team.slo)
    await openRetention(slo)
    assert.match(await dueRow(slo, disposedCase).innerText(), /Proposed by Morgan Manager on 10 March 2026/)
    await assertAccessible(slo, 'records due for disposal, as a Senior Lead Officer')
    await dueRow(slo, disposedCase).getByRole('link', { name: `Review and approve disposal of ${ref(disposedCase)}` }).click()
    await slo.getByRole('heading', { name: `Approve disposal of ${ref(disposedCase)}` }).waitFor()
    const summary = await slo.locator('main .govuk-summary-list').innerText()
    assert.match(summary, /Retention rule\s+Adult case: 6 years after closure/)
    assert.match(summary, /Due for disposal\s+5 March 2025/)
    assert.match(summary, /Proposed by\s+Morgan Manager on 10 March 2026/)
    await assertAccessible(slo, 'approve disposal')
    // Without the confirmation ticked: the error summary, focused, and its link to the checkbox.
    await slo.getByRole('button', { name: 'Approve and dispose of the record' }).click()
    const errorSummary = slo.locator('.govuk-error-summary')
    await errorSummary.waitFor()
    assert.deepEqual(await errorSummary.locator('li').allInnerTexts(), ['Confirm that this record may be disposed of'])
    assert.match(await slo.title(), /^Error: /)
    assert.match(await slo.locator('#confirm-error').innerText(), /Confirm that this record may be disposed of/)
    await slo.waitForFunction("document.activeElement?.classList.contains('govuk-error-summary')")
    await errorSummary.getByRole('link', { name: 'Confirm that this record may be disposed of' }).click()
    await slo.waitForFunction("document.activeElement?.id === 'confirm'")
    await assertAccessible(slo, 'approve disposal, with an error')
    await slo.getByLabel(/I have checked that this record is not needed/).check()
    await slo.getByRole('button', { name: 'Approve and dispose of the record' }).click()
    await slo.locator('.govuk-notification-banner--success').getByText('The record has been disposed of. Its reference and the approval are in the register of disposals.').waitFor()
    assert.equal(await dueRow(slo, disposedCase).count(), 0, 'the disposed case is no longer due')
    await assertAccessible(slo, 'records due for disposal, after approving')
    // The register of disposals names both people.
    await slo.getByRole('link', { name: 'Records already disposed of' }).click()
    await slo.getByRole('heading', { name: 'Records disposed of' }).waitFor()
    const registered = await slo.locator('main tbody tr', { hasText: ref(disposedCase) }).innerText()
    assert.match(registered, /Adult case: 6 years after closure/)
    assert.match(registered, /Morgan Manager, 10 March 2026/)
    assert.match(registered, /Sally Senior/)
    assert.match(await slo.locator('main').innerText(), /1 record has been disposed of\./)
    await assertAccessible(slo, 'register of disposals')
    // The case's old address says what happened to it.
    await slo.goto(`${app.url}/concerns/${disposedCase}`)
    await slo.getByRole('heading', { name: 'This record has been disposed of' }).waitFor()
    assert.match(await slo.locator('main').innerText(), new RegExp(`Case ${ref(disposedCase)} was disposed of on 10 March 2026`))
    assert.doesNotMatch(await slo.locator('main').innerText(), /Doris Dunmore/)
    await assertAccessible(slo, 'disposed record')
    await Promise.all([slo.context().close(), manager.context().close()])
    assert.deepEqual(unexpectedConsoleErrors(), [], 'no console errors or CSP refusals')
  })

  it('proposes and approves without JavaScript', async () => {
    const manager = await as(team.manager, false)
    await openRetention(manager)
    await dueRow(manager, plainCase).getByRole('button', { name: `Propose disposal of ${ref(plainCase)}` }).click()
    await manager.getByText('Disposal proposed. A Senior Lead Officer who did not propose it must now approve it.').waitFor()
    assert.match(await dueRow(manager, plainCase).innerText(), /Proposed by you on 10 March 2026/)
    await manager.context().close()

    const slo = await as(team.slo, false)
    await openRetention(slo)
    await dueRow(slo, plainCase).getByRole('link', { name: `Review and approve disposal of ${ref(plainCase)}` }).click()
    await slo.getByRole('heading', { name: `Approve disposal of ${ref(plainCase)}` }).waitFor()
    await slo.getByRole('button', { name: 'Approve and dispose of the record' }).click()
    const errorSummary = slo.locator('.govuk-error-summary')
    await errorSummary.waitFor()
    assert.deepEqual(await errorSummary.locator('li').allInnerTexts(), ['Confirm that this record may be disposed of'])
    assert.equal(await errorSummary.getByRole('link').getAttribute('href'), '#confirm')
    await slo.getByLabel(/I have checked that this record is not needed/).check()
    await slo.getByRole('button', { name: 'Approve and dispose of the record' }).click()
    await slo.getByText('The record has been disposed of. Its reference and the approval are in the register of disposals.').waitFor()
    assert.equal(await dueRow(slo, plainCase).count(), 0)
    await slo.getByRole('link', { name: 'Records already disposed of' }).click()
    assert.match(await slo.locator('main tbody tr', { hasText: ref(plainCase) }).innerText(), /Morgan Manager, 10 March 2026[\s\S]*Sally Senior/)
    await slo.goto(`${app.url}/concerns/${plainCase}`)
    await slo.getByRole('heading', { name: 'This record has been disposed of' }).waitFor()
    await slo.context().close()
  })

  it('lets an administrator pause disposal, after which nothing can be proposed', async () => {
    // 4. An administrator pauses disposal, after one mistake.
    const administrator = await as(admin)
    await administrator.getByRole('link', { name: 'Retention settings' }).click()
    await administrator.getByRole('heading', { name: 'Retention settings' }).waitFor()
    await assertAccessible(administrator, 'retention settings')
    await administrator.getByLabel('Years to keep adult cases after closure').fill('0')
    await administrator.getByRole('button', { name: 'Save settings' }).click()
    const settingsErrors = administrator.locator('.govuk-error-summary')
    await settingsErrors.waitFor()
    assert.deepEqual(await settingsErrors.locator('li').allInnerTexts(), ['The years to keep adult cases after closure must be between 1 and 100'])
    assert.match(await administrator.title(), /^Error: /)
    await settingsErrors.getByRole('link').click()
    await administrator.waitForFunction("document.activeElement?.id === 'adultYearsAfterClosure'")
    await assertAccessible(administrator, 'retention settings, with an error')
    await administrator.getByLabel('Years to keep adult cases after closure').fill('6')
    await administrator.getByLabel('Yes, pause all disposal').check()
    const pauseReason = 'The Wealdmoor Inquiry asked us to keep every record (letter of 2 March 2026).'
    await administrator.getByLabel('Why is disposal paused?').fill(pauseReason)
    await assertAccessible(administrator, 'retention settings, pausing')
    await administrator.getByRole('button', { name: 'Save settings' }).click()
    await administrator.getByText('Retention settings saved. Disposal is paused: no case can be disposed of until it is restarted here.').waitFor()
    assert.equal(await administrator.getByLabel('Why is disposal paused?').inputValue(), pauseReason)
    await assertAccessible(administrator, 'retention settings, paused')
    await administrator.context().close()

    // The manager's list now says disposal is paused and offers nothing to propose.
    const manager = await as(team.manager)
    await openRetention(manager)
    const inset = await manager.locator('main .govuk-inset-text').innerText()
    assert.match(inset, /Disposal is paused\. Nothing can be disposed of until an administrator restarts it\./)
    assert.match(inset, /The Wealdmoor Inquiry asked us to keep every record/)
    assert.match(await dueRow(manager, keptCase).innerText(), /Due/)
    assert.equal(await manager.getByRole('button', { name: /Propose disposal/ }).count(), 0)
    await assertAccessible(manager, 'records due for disposal, paused')
    await manager.context().close()

    assert.deepEqual(unexpectedConsoleErrors(), [], 'no console errors or CSP refusals')
  })
})
