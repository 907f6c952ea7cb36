import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, type Page, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'
import { retentionSettings } from '../../../repositories/retention-repository.js'

const PATH = '/admin/retention'

describe('retention settings', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser

  const row = () => app.database.db.selectFrom('retention_setting').selectAll().where('organisation_id', '=', org.id).executeTakeFirst()
  const version = (page: Page) => page.$('input[name="version"]').attr('value')!
  const shown = (page: Page) => ({
    adultYearsAfterClosure: page.$('#adultYearsAfterClosure').val(),
    childUntilAge: page.$('#childUntilAge').val(),
    childYearsAfterClosure: page.$('#childYearsAfterClosure').val(),
    paused: page.$('input[name="paused"]:checked').val(),
    pausedReason: page.$('#pausedReason').text().trim(),
  })

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
    org = await app.factories.organisation()
    admin = await app.factories.user(org, ['admin'], { name: 'Adrian Admin' })
  })
  after(() => app.stop())

  it('is linked from the administrator’s home page and shows the defaults before anything is saved', async () => {
    const client = await app.signedIn(admin)
    const home = await client.get('/')
    assert.equal(home.$(`a[href="${PATH}"]`).text().trim(), 'Retention settings')
    const page = await client.get(PATH)
    assert.equal(page.status, 200)
    assert.equal(page.$('h1').text().trim(), 'Retention settings')
    assert.deepEqual(shown(page), { adultYearsAfterClosure: '6', childUntilAge: '25', childYearsAfterClosure: '6', paused: 'no', pausedReason: '' })
    assert.equal(version(page), '0')
    // The reason is always shown, not in a conditional reveal (ADR 0001: aria-expanded on radios fails axe).
    assert.equal(page.$('#pausedReason').length, 1)
    assert.equal(page.$('.govuk-radios__conditional').length, 0)
  })

  it('refuses each invalid answer with the GOV.UK error summary and an inline error, saving nothing', async () => {
    const client = await app.signedIn(admin)
    const page = await client.get(PATH)
    const valid = { version: version(page), adultYearsAfterClosure: '7', childUntilAge: '25', childYearsAfterClosure: '6', paused: 'no', pausedReason: '' }
    const seq = await lastAuditSeq(app.database.db, org.id)
    const cases: [Record<string, string>, string, string][] = [
      [{ adultYearsAfterClosure: '' }, 'adultYearsAfterClosure', 'Enter the years to keep adult cases after closure'],
      [{ adultYearsAfterClosure: 'six' }, 'adultYearsAfterClosure', 'The years to keep adult cases after closure must be a whole number, like 6'],
      [{ adultYearsAfterClosure: '2.5' }, 'adultYearsAfterClosure', 'The years to keep adult cases after closure must be a whole number, like 6'],
      [{ adultYearsAfterClosure: '0' }, 'adultYearsAfterClosure', 'The years to keep adult cases after closure must be between 1 and 100'],
      [{ childUntilAge: '17' }, 'childUntilAge', 'The age until which child cases are kept must be between 18 and 100'],
      [{ childUntilAge: '' }, 'childUntilAge', 'Enter the age until which child cases are kept'],
      [{ childYearsAfterClosure: '101' }, 'childYearsAfterClosure', 'The years to keep child cases after closure must be between 1 and 100'],
      [{ paused: '' }, 'paused', 'Select whether disposal is paused'],
      [{ paused: 'yes', pausedReason: '   ' }, 'pausedReason', 'Enter why disposal is paused, for example the inquiry that asked for records to be kept'],
    ]
    for (const [change, field, message] of cases) {
      const sent = await client.post(PATH, { ...valid, ...change })
      assert.equal(sent.status, 400, JSON.stringify(change))
      assert.deepEqual(errorSummary(sent), [message])
      assert.equal(sent.$('.govuk-error-summary__list a').attr('href'), `#${field}`)
      assert.match(sent.$(`#${field}-error`).text(), new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      assert.match(sent.$('title').text(), /^Error: /)
      // What was typed is shown again.
      if (change.adultYearsAfterClosure) assert.equal(sent.$('#adultYearsAfterClosure').val(), change.adultYearsAfterClosure)
    }
    assert.equal(await row(), undefined, 'nothing saved')
    assert.deepEqual(await auditRowsAfter(app.database.db, org.id, seq), [], 'nothing audited')
  })

  it('saves valid settings, audits the changed fields in the same transaction, and shows them when the page is read back', async () => {
    const client = await app.signedIn(admin)
    const page = await client.get(PATH)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const saved = await client.post(PATH, { version: version(page), adultYearsAfterClosure: '8', childUntilAge: '25', childYearsAfterClosure: '10', paused: 'no', pausedReason: '' })
    assert.deepEqual(errorSummary(saved), [])
    assert.equal(saved.status, 303)
    assert.equal(saved.location, PATH)
    const after = await client.follow(saved)
    assert.match(after.$('.govuk-notification-banner').text(), /Retention settings saved\./)
    assert.deepEqual(shown(after), { adultYearsAfterClosure: '8', childUntilAge: '25', childYearsAfterClosure: '10', paused: 'no', pausedReason: '' })
    assert.equal(version(after), '1')
    const stored = await retentionSettings(app.database.db, org.id)
    assert.deepEqual(stored, { rules: { adultYearsAfterClosure: 8, childUntilAge: 25, childYearsAfterClosure: 10 }, paused: false, pausedReason: null, version: 1 })
    assert.equal((await row())?.updated_by, admin.id)
    const audited = await auditRowsAfter(app.database.db, org.id, seq)
    const event = audited.find((e) => e.action === 'retention.settings')
    assert.ok(event, 'audited')
    assert.equal(event.outcome, 'success')
    assert.equal(event.actor_user_id, admin.id)
    assert.equal(event.record_type, 'organisation')
    assert.equal(event.record_id, org.id)
    assert.deepEqual(event.details, { fields: ['adult_years_after_closure', 'child_years_after_closure'], paused: false })

    // Pausing disposal: the reason is kept and shown again.
    const again = await client.get(PATH)
    const paused = await client.post(PATH, { version: version(again), adultYearsAfterClosure: '8', childUntilAge: '25', childYearsAfterClosure: '10', paused: 'yes', pausedReason: 'The Wealdmoor Inquiry asked us to keep every record (letter of 2 March 2026).' })
    assert.equal(paused.status, 303)
    const shownPaused = await client.follow(paused)
    assert.match(shownPaused.$('.govuk-notification-banner').text(), /Disposal is paused/)
    assert.deepEqual(shown(shownPaused), { adultYearsAfterClosure: '8', childUntilAge: '25', childYearsAfterClosure: '10', paused: 'yes', pausedReason: 'The Wealdmoor Inquiry asked us to keep every record (letter of 2 March 2026).' })
    const pausedRow = await row()
    assert.equal(pausedRow?.disposal_paused, true)
    assert.equal(pausedRow?.paused_reason, 'The Wealdmoor Inquiry asked us to keep every record (letter of 2 March 2026).')
    assert.equal(pausedRow?.version, 2)
    const last = (await auditRowsAfter(app.database.db, org.id, seq)).filter((e) => e.action === 'retention.settings').at(-1)!
    assert.deepEqual(last.details, { fields: ['disposal_paused', 'paused_reason'], paused: true })

    // Restarting it clears the reason.
    const third = await client.get(PATH)
    assert.equal((await client.post(PATH, { version: version(third), adultYearsAfterClosure: '8', childUntilAge: '25', childYearsAfterClosure: '10', paused: 'no', pausedReason: 'left in the box' })).status, 303)
    assert.equal((await row())?.disposal_paused, false)
    assert.equal((await row())?.paused_reason, null)
  })

  it('refuses a form opened before someone else saved (the usual “changed since you opened it” answer), keeping their settings', async () => {
    const a = await app.signedIn(admin)
    const other = await app.factories.user(org, ['admin'], { name: 'Alex Otheradmin' })
    const b = await app.signedIn(other)
    const pageA = await a.get(PATH)
    const pageB = await b.get(PATH)
    assert.equal(version(pageA), version(pageB))
    const before = await row()
    assert.equal((await a.post(PATH, { version: version(pageA), adultYearsAfterClosure: '9', childUntilAge: '26', childYearsAfterClosure: '10', paused: 'no', pausedReason: '' })).status, 303)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const stale = await b.post(PATH, { version: version(pageB), adultYearsAfterClosure: '1', childUntilAge: '18', childYearsAfterClosure: '1', paused: 'no', pausedReason: '' })
    assert.equal(stale.status, 409)
    assert.match(stale.$('h1').text(), /changed since you opened it/)
    const stored = await row()
    assert.equal(stored?.adult_years_after_closure, 9)
    assert.equal(stored?.child_until_age, 26)
    assert.equal(stored?.version, (before?.version ?? 0) + 1)
    assert.deepEqual((await auditRowsAfter(app.database.db, org.id, seq)).filter((e) => e.action === 'retention.settings'), [])

    // A form with no version (or a made-up one) is refused the same way, never saved over.
    const noVersion = await a.post(PATH, { adultYearsAfterClosure: '1', childUntilAge: '18', childYearsAfterClosure: '1', paused: 'no', pausedReason: '' })
    assert.equal(noVersion.status, 409)
    assert.equal((await row())?.adult_years_after_closure, 9)
  })

  it('refuses the first save of a second administrator whose form was opened before anything was saved', async () => {
    const org2 = await app.factories.organisation()
    const one = await app.signedIn(await app.factories.user(org2, ['admin']))
    const two = await app.signedIn(await app.factories.user(org2, ['admin']))
    const pageOne = await one.get(PATH)
    const pageTwo = await two.get(PATH)
    assert.equal(version(pageOne), '0')
    assert.equal((await one.post(PATH, { version: '0', adultYearsAfterClosure: '7', childUntilAge: '25', childYearsAfterClosure: '6', paused: 'no', pausedReason: '' })).status, 303)
    assert.equal((await two.post(PATH, { version: version(pageTwo), adultYearsAfterClosure: '2', childUntilAge: '25', childYearsAfterClosure: '6', paused: 'no', pausedReason: '' })).status, 409)
    assert.equal((await retentionSettings(app.database.db, org2.id)).rules.adultYearsAfterClosure, 7)
  })

  it('is for administrators only: others get 403 and nothing changes', async () => {
    const before = await row()
    for (const roles of [['safeguarding_manager', 'dso'], ['senior_lead_officer'], ['auditor'], []] as const) {
      const client: TestClient = await app.signedIn(await app.factories.user(org, [...roles]))
      assert.equal((await client.get(PATH)).status, 403, roles.join(','))
      await client.get('/')
      assert.equal((await client.post(PATH, { version: String(before?.version ?? 0), adultYearsAfterClosure: '1', childUntilAge: '18', childYearsAfterClosure: '1', paused: 'no', pausedReason: '' })).status, 403)
      const home = await client.get('/')
      assert.equal(home.$(`a[href="${PATH}"]`).length, 0, 'not linked for them')
    }
    assert.deepEqual(await row(), before)
  })

  it('asks an administrator whose sign-in is older than 15 minutes to confirm it is them first', async () => {
    const client = await app.signedIn(admin)
    // Time passing while they keep using Kestrel, so the idle limit never ends the session.
    for (let i = 0; i < 2; i++) {
      app.clock.advanceMinutes(8)
      assert.equal((await client.get('/')).status, 200)
    }
    const page = await client.get(PATH)
    assert.equal(page.status, 303)
    assert.equal(page.location, '/account/confirm')
  })
})
