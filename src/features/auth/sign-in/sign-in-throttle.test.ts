import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, type Page } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'
import { SIGN_IN_FAILED, SIGN_IN_THROTTLED } from './schema.js'

describe('sign-in throttling and its audit trail', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T08:00:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
  })
  // Each test starts after the previous one's window (15 minutes) has passed.
  beforeEach(() => app.clock.advanceMinutes(16))
  after(() => app.stop())

  async function attempt(email: string, password: string): Promise<Page> {
    const client = app.client()
    await client.get('/sign-in')
    return client.post('/sign-in', { email, password })
  }

  function outcome(page: Page): string {
    return `${page.status} ${errorSummary(page).join(' | ')}`
  }

  it('throttles an account after five wrong passwords, even for the right password, and audits every attempt', async () => {
    const seq = await lastAuditSeq(app.database.db, org.id)
    for (let i = 1; i <= 5; i++) {
      assert.equal(outcome(await attempt(staff.email, `wrong password ${i}`)), `400 ${SIGN_IN_FAILED}`, `attempt ${i}`)
    }
    const right = await attempt(staff.email, staff.password)
    assert.equal(outcome(right), `429 ${SIGN_IN_THROTTLED}`)
    assert.equal(right.$('#email').attr('value'), staff.email)
    const differentCase = await attempt(staff.email.toUpperCase(), staff.password)
    assert.equal(outcome(differentCase), `429 ${SIGN_IN_THROTTLED}`, 'the same account however it is typed')
    assert.equal(differentCase.location, null, 'not signed in')

    const audit = (await auditRowsAfter(app.database.db, org.id, seq)).filter((r) => r.action === 'auth.sign-in')
    assert.deepEqual(
      audit.map((r) => [r.outcome, (r.details as { reason: string }).reason, r.record_id]),
      [
        ...Array(5).fill(['failure', 'wrong_password', staff.id]),
        ['denied', 'throttled', staff.id],
        ['denied', 'throttled', staff.id],
      ],
    )
    assert.doesNotMatch(JSON.stringify(audit.map((r) => r.details)), /wrong password|correct horse/, 'passwords never reach the audit log')
  })

  it('lets the person in again once the window has passed', async () => {
    app.clock.advanceMinutes(-16) // back inside the previous test's window
    assert.equal(outcome(await attempt(staff.email, staff.password)), `429 ${SIGN_IN_THROTTLED}`)
    app.clock.advanceMinutes(16)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const page = await attempt(staff.email, staff.password)
    assert.equal(page.status, 303)
    assert.equal(page.location, '/')
    const audit = (await auditRowsAfter(app.database.db, org.id, seq)).filter((r) => r.action === 'auth.sign-in')
    assert.deepEqual(
      audit.map((r) => [r.outcome, (r.details as { reason: string }).reason, r.actor_user_id]),
      [['success', 'ok', staff.id]],
    )
  })

  it('treats an address with no account exactly the same way', async () => {
    const seq = await lastAuditSeq(app.database.db, org.id)
    const known: string[] = []
    const unknown: string[] = []
    const other = await app.factories.user(org)
    for (let i = 1; i <= 7; i++) {
      known.push(outcome(await attempt(other.email, `wrong ${i}`)))
      unknown.push(outcome(await attempt('nobody-here@test.example', `wrong ${i}`)))
    }
    assert.deepEqual(unknown, known)
    assert.deepEqual(known, [...Array(5).fill(`400 ${SIGN_IN_FAILED}`), `429 ${SIGN_IN_THROTTLED}`, `429 ${SIGN_IN_THROTTLED}`])
    const audit = (await auditRowsAfter(app.database.db, org.id, seq)).filter((r) => r.action === 'auth.sign-in' && r.record_id === null)
    assert.deepEqual(
      audit.map((r) => [r.outcome, (r.details as { reason: string }).reason, r.actor_user_id]),
      [...Array(5).fill(['failure', 'unknown_account', null]), ['denied', 'throttled', null], ['denied', 'throttled', null]],
    )
    assert.doesNotMatch(JSON.stringify(audit.map((r) => r.details)), /nobody-here/, 'the address typed is not recorded')
  })

  it('refuses a deactivated account with the ordinary message and audits why', async () => {
    const leaver = await app.factories.user(org)
    await app.database.db.updateTable('app_user').set({ active: false }).where('id', '=', leaver.id).execute()
    const seq = await lastAuditSeq(app.database.db, org.id)
    assert.equal(outcome(await attempt(leaver.email, leaver.password)), `400 ${SIGN_IN_FAILED}`)
    const audit = (await auditRowsAfter(app.database.db, org.id, seq)).filter((r) => r.action === 'auth.sign-in')
    assert.deepEqual(
      audit.map((r) => [r.outcome, (r.details as { reason: string }).reason]),
      [['denied', 'inactive']],
    )
  })

  it('throttles one network address after fifty failures, whichever accounts they named', async () => {
    const fresh = await app.factories.user(org, [], { name: 'Untouched Account' })
    for (let i = 1; i <= 50; i++) {
      const page = await attempt(`guess${i}@test.example`, 'password123')
      assert.equal(page.status, 400, `attempt ${i}`)
    }
    const blocked = await attempt(fresh.email, fresh.password)
    assert.equal(outcome(blocked), `429 ${SIGN_IN_THROTTLED}`, 'the address is throttled even for an untouched account')
    app.clock.advanceMinutes(16)
    assert.equal((await attempt(fresh.email, fresh.password)).status, 303)
  })

  it('clears an account’s failures when the person signs in', async () => {
    for (let i = 1; i <= 4; i++) await attempt(staff.email, `wrong ${i}`)
    assert.equal((await attempt(staff.email, staff.password)).status, 303)
    for (let i = 1; i <= 4; i++) assert.equal((await attempt(staff.email, `wrong again ${i}`)).status, 400)
    assert.equal((await attempt(staff.email, staff.password)).status, 303, 'four new failures are not five')
  })
})
