import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { countRows } from '../../../../test/helpers/records.js'
import { concernVersion, putOnDuty } from '../../../../test/helpers/triage.js'

describe('allocating a Lead and Second DSO', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser
  let duty: TestUser
  let dsoA: TestUser
  let dsoB: TestUser
  let offDuty: TestUser
  let manager: TestUser
  let dutyClient: TestClient

  before(async () => {
    // Monday 9 March 2026, 10:15.
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, ['dso'], { name: 'Sam Referrer' })
    duty = await app.factories.user(org, ['dso'], { name: 'Duty Officer' })
    dsoA = await app.factories.user(org, ['dso'], { name: 'Alice Lead' })
    dsoB = await app.factories.user(org, ['dso'], { name: 'Bob Second' })
    offDuty = await app.factories.user(org, ['dso'], { name: 'Olive Offduty' })
    manager = await app.factories.user(org, ['safeguarding_manager'], { name: 'Morgan Manager' })
    await putOnDuty(app, org.id, [duty])
    dutyClient = await app.signedIn(duty)
  })
  after(() => app.stop())

  const form = (leadId: string, secondId: string, version: number) => ({ leadId, secondId, version: String(version) })

  it('lets the duty DSO allocate; the concern, its history, chronology, audit and notifications all record it', async () => {
    const { id } = await app.factories.concern(staff)
    const page = await dutyClient.get(`/concerns/${id}/allocate`)
    assert.equal(page.status, 200)
    // The referrer is not offered.
    assert.equal(page.$(`#leadId option[value="${staff.id}"]`).length, 0)
    assert.match(page.$(`#leadId option[value="${duty.id}"]`).text(), /on duty today/)
    const response = await dutyClient.post(`/concerns/${id}/allocate`, form(dsoA.id, dsoB.id, await concernVersion(app, id)))
    assert.equal(response.status, 303)
    assert.equal(response.location, `/concerns/${id}`)
    const concern = await app.database.db.selectFrom('concern').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(concern.status, 'allocated')
    assert.equal(concern.lead_dso_id, dsoA.id)
    assert.equal(concern.second_dso_id, dsoB.id)
    assert.equal(concern.allocated_by, duty.id)
    const history = await app.database.db.selectFrom('concern_allocation').selectAll().where('concern_id', '=', id).execute()
    assert.equal(history.length, 1)
    const chronology = await app.database.db.selectFrom('chronology_entry').select(['category', 'summary']).where('concern_id', '=', id).orderBy('recorded_at').execute()
    assert.deepEqual(chronology.map((c) => c.category), ['Concern received', 'Allocated'])
    assert.match(chronology[1]!.summary, /Lead DSO Alice Lead, Second DSO Bob Second/)
    const auditRow = await app.database.db.selectFrom('audit_event').selectAll().where('record_id', '=', id).where('action', '=', 'concern.allocate').executeTakeFirstOrThrow()
    assert.equal(auditRow.actor_user_id, duty.id)
    assert.deepEqual(auditRow.details.fields, ['lead_dso_id', 'second_dso_id', 'allocated_at', 'allocated_by', 'status'])
    const notes = await app.database.db.selectFrom('notification').select(['user_id', 'text']).where('concern_id', '=', id).execute()
    assert.deepEqual(notes.map((n) => n.user_id).sort(), [dsoA.id, dsoB.id].sort())
    assert.ok(notes.every((n) => !n.text.includes('Person')), 'no subject names in notifications')
    const emails = await app.database.db.selectFrom('email_outbox').select(['to_address', 'status', 'body']).where('kind', '=', 'allocation').execute()
    assert.ok(emails.some((e) => e.to_address === dsoA.email && e.status === 'held'))

    // The summary shows who is on the case.
    const summary = await dutyClient.get(`/concerns/${id}`)
    assert.match(summary.$('#allocation').next().text(), /Alice Lead/)
  })

  it('refuses the same person as Lead and Second with an error summary, and changes nothing', async () => {
    const { id } = await app.factories.concern(staff)
    await dutyClient.get(`/concerns/${id}/allocate`)
    const before = await countRows(app.database.db, 'concern_allocation')
    const response = await dutyClient.post(`/concerns/${id}/allocate`, form(dsoA.id, dsoA.id, await concernVersion(app, id)))
    assert.equal(response.status, 400)
    assert.deepEqual(errorSummary(response), ['The Second DSO must be a different person from the Lead DSO'])
    assert.equal(await countRows(app.database.db, 'concern_allocation'), before)
    const concern = await app.database.db.selectFrom('concern').select(['status', 'lead_dso_id', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(concern, { status: 'submitted', lead_dso_id: null, version: 1 })
  })

  it('refuses the referrer, and someone named in the concern', async () => {
    const { id } = await app.factories.concern(staff, { personName: 'Bob Second', householdMembers: null })
    await dutyClient.get(`/concerns/${id}/allocate`)
    const response = await dutyClient.post(`/concerns/${id}/allocate`, form(staff.id, dsoB.id, await concernVersion(app, id)))
    assert.equal(response.status, 400)
    assert.deepEqual(errorSummary(response), ['Sam Referrer raised this concern, so cannot be the Lead DSO', 'Bob Second is named in this concern, so cannot be the Second DSO'])
  })

  it('does not let a DSO who is not on duty allocate, but a manager can', async () => {
    const { id } = await app.factories.concern(staff)
    const off = await app.signedIn(offDuty)
    const page = await off.get(`/concerns/${id}/allocate`)
    assert.match(page.text, /Only a DSO on duty today or a safeguarding manager can allocate this concern/)
    assert.equal(page.$('form[action$="/allocate"]').length, 0)
    const refused = await off.post(`/concerns/${id}/allocate`, form(dsoA.id, dsoB.id, 1))
    assert.equal(refused.status, 409)
    assert.equal((await app.database.db.selectFrom('concern').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'submitted')
    const mgr = await app.signedIn(manager)
    await mgr.get(`/concerns/${id}/allocate`)
    assert.equal((await mgr.post(`/concerns/${id}/allocate`, form(dsoA.id, dsoB.id, 1))).status, 303)
  })

  it('two people allocating at the same moment: one succeeds, the other is told it changed', async () => {
    const { id } = await app.factories.concern(staff)
    const mgr = await app.signedIn(manager)
    await Promise.all([dutyClient.get(`/concerns/${id}/allocate`), mgr.get(`/concerns/${id}/allocate`)])
    const [a, b] = await Promise.all([dutyClient.post(`/concerns/${id}/allocate`, form(dsoA.id, dsoB.id, 1)), mgr.post(`/concerns/${id}/allocate`, form(dsoB.id, offDuty.id, 1))])
    assert.deepEqual([a.status, b.status].sort(), [303, 409])
    const loser = a.status === 409 ? a : b
    assert.match(loser.text, /This record changed since you opened it/)
    const history = await app.database.db.selectFrom('concern_allocation').selectAll().where('concern_id', '=', id).execute()
    assert.equal(history.length, 1)
    assert.equal((await app.database.db.selectFrom('concern').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version, 2)
  })

  it('a manager reallocates with a reason; the history keeps both', async () => {
    const { id } = await app.factories.concern(staff)
    await dutyClient.get(`/concerns/${id}/allocate`)
    await dutyClient.post(`/concerns/${id}/allocate`, form(dsoA.id, dsoB.id, 1))
    // The duty DSO may not change it once allocated.
    assert.match((await dutyClient.get(`/concerns/${id}/allocate`)).text, /Only a safeguarding manager can reallocate a concern/)
    const mgr = await app.signedIn(manager)
    await mgr.get(`/concerns/${id}/allocate`)
    const missingReason = await mgr.post(`/concerns/${id}/allocate`, form(offDuty.id, dsoB.id, 2))
    assert.deepEqual(errorSummary(missingReason), ['Enter the reason for changing the allocation'])
    const ok = await mgr.post(`/concerns/${id}/allocate`, { ...form(offDuty.id, dsoB.id, 2), reason: 'Alice is on leave' })
    assert.equal(ok.status, 303)
    const history = await app.database.db.selectFrom('concern_allocation').select(['lead_dso_id', 'reason']).where('concern_id', '=', id).orderBy('allocated_at').orderBy('id').execute()
    assert.deepEqual(history, [{ lead_dso_id: dsoA.id, reason: null }, { lead_dso_id: offDuty.id, reason: 'Alice is on leave' }])
    const summary = await mgr.get(`/concerns/${id}`)
    assert.match(summary.text, /Allocation history/)
    assert.ok(await app.database.db.selectFrom('audit_event').select('id').where('record_id', '=', id).where('action', '=', 'concern.reallocate').executeTakeFirst())
  })
})
