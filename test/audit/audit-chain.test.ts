import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { verifyAuditChains, verifyChain } from '../../src/services/audit-verify.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { appendOnlyRefusal } from '../helpers/database.js'
import { completeConcernForm, raiseConcernThroughForms } from '../helpers/concern-form.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../helpers/records.js'

describe('the audit log: one row per event, append-only, tamper-evident', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser
  let dso: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
    dso = await app.factories.user(org, ['dso'], { name: 'Dana Officer' })
  })
  after(() => app.stop())

  /** Changes a stored audit row as a database superuser could, with the guard trigger off. */
  async function tamper(statement: string) {
    const owner = app.database.owner
    await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(owner)
    try {
      await sql.raw(statement).execute(owner)
    } finally {
      await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(owner)
    }
  }

  it('writes exactly one row, with the expected action and outcome, for each sign-in, create, list, view and denial', async () => {
    const seq = await lastAuditSeq(app.database.db, org.id)
    const failed = app.client()
    await failed.get('/sign-in')
    await failed.post('/sign-in', { email: staff.email, password: 'not the password' })
    const referrer = await app.signedIn(staff)
    const id = await raiseConcernThroughForms(referrer, completeConcernForm(org))
    await referrer.get(`/concerns/${id}/confirmation`)
    await referrer.get('/my-concerns')
    await referrer.get(`/my-concerns/${id}`)
    await referrer.get('/queue')
    await referrer.get('/concerns/new') // a form page shows no case data: nothing to audit
    const officer = await app.signedIn(dso)
    await officer.get('/queue')
    await officer.get(`/concerns/${id}`)
    await officer.get('/')
    await officer.post('/sign-out')

    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(
      rows.map((r) => [r.action, r.outcome, r.actor_user_id === staff.id ? 'staff' : r.actor_user_id === dso.id ? 'dso' : r.actor_user_id]),
      [
        ['auth.sign-in', 'failure', 'staff'],
        ['auth.sign-in', 'success', 'staff'],
        ['concern.create', 'success', 'staff'],
        ['concern.view-own', 'success', 'staff'],
        ['concern.list-own', 'success', 'staff'],
        ['concern.view-own', 'success', 'staff'],
        ['access.denied', 'denied', 'staff'],
        ['auth.sign-in', 'success', 'dso'],
        ['concern.list', 'success', 'dso'],
        ['concern.view', 'success', 'dso'],
        ['auth.sign-out', 'success', 'dso'],
      ],
    )
    const requestIds = rows.map((r) => r.request_id)
    assert.ok(requestIds.every((r) => typeof r === 'string' && r.length > 0), 'every row names its request')
    assert.equal(new Set(requestIds).size, rows.length, 'one row per request')
    const text = JSON.stringify(rows)
    for (const personal of ['Margaret', 'Ellis', 'Mill Lane', 'WX1', 'bank card', 'not the password', staff.email]) {
      assert.ok(!text.includes(personal), `no personal detail in the audit log: ${personal}`)
    }
    assert.deepEqual(await verifyChain(app.database.db, org.id), { organisationId: org.id, ok: true, rows: await lastAuditSeq(app.database.db, org.id) })
  })

  it('chains every row to the one before it', async () => {
    const rows = await auditRowsAfter(app.database.db, org.id, 0)
    assert.ok(rows.length > 5)
    rows.forEach((row, i) => {
      assert.equal(Number(row.seq), i + 1)
      if (i > 0) assert.equal(row.prev_hash, rows[i - 1]!.hash)
    })
    assert.equal(rows[0]!.prev_hash, '0'.repeat(64))
  })

  it('refuses UPDATE, DELETE and TRUNCATE on audit rows, whoever asks', async () => {
    const before = await auditRowsAfter(app.database.db, org.id, 0)
    for (const statement of [
      `UPDATE audit_event SET action = 'nothing.happened' WHERE organisation_id = '${org.id}' AND seq = 1`,
      `DELETE FROM audit_event WHERE organisation_id = '${org.id}' AND seq = 1`,
      'TRUNCATE audit_event',
    ]) {
      // The tables' owner is stopped by the trigger; on PostgreSQL the application's own role
      // has not even the privilege (privileges.ts), on the embedded engine it is the owner.
      await assert.rejects(sql.raw(statement).execute(app.database.owner), /audit_event is append-only/, statement)
      await assert.rejects(sql.raw(statement).execute(app.database.db), appendOnlyRefusal('audit_event'), statement)
    }
    assert.deepEqual(await auditRowsAfter(app.database.db, org.id, 0), before)
  })

  it('detects an altered row at the right place', async () => {
    const target = 3
    await tamper(`UPDATE audit_event SET details = '{"reason":"ok"}'::jsonb WHERE organisation_id = '${org.id}' AND seq = ${target}`)
    const report = await verifyChain(app.database.db, org.id)
    assert.equal(report.ok, false)
    assert.equal(report.ok === false && report.firstBrokenSeq, target)
    assert.equal(report.ok === false && report.problem, 'content does not match its hash (altered)')
  })

  it('detects a removed row, and rows cut off the end, in every organisation', async () => {
    const other = await app.factories.organisation('Second Council')
    const otherUser = await app.factories.user(other)
    for (let i = 0; i < 4; i++) await (await app.signedIn(otherUser)).get('/my-concerns')
    assert.equal((await verifyChain(app.database.db, other.id)).ok, true)

    await tamper(`DELETE FROM audit_event WHERE organisation_id = '${other.id}' AND seq = 2`)
    const gap = await verifyChain(app.database.db, other.id)
    assert.deepEqual(gap.ok === false && [gap.firstBrokenSeq, gap.problem], [2, 'row 2 is missing'])

    const third = await app.factories.organisation('Third Council')
    const thirdUser = await app.factories.user(third)
    for (let i = 0; i < 3; i++) await (await app.signedIn(thirdUser)).get('/my-concerns')
    const last = await lastAuditSeq(app.database.db, third.id)
    await tamper(`DELETE FROM audit_event WHERE organisation_id = '${third.id}' AND seq = ${last}`)
    const cut = await verifyChain(app.database.db, third.id)
    assert.equal(cut.ok === false && cut.firstBrokenSeq, last)
    assert.match(cut.ok === false ? cut.problem : '', /missing/)

    const all = await verifyAuditChains(app.database.db)
    assert.deepEqual(
      all.filter((r) => !r.ok).map((r) => r.organisationId).sort(),
      [org.id, other.id, third.id].sort(),
    )
  })
})
