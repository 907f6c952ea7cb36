import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { countRows } from '../../../../test/helpers/records.js'
import { allocateAs, decideAs } from '../../../../test/helpers/triage.js'

describe('onward referrals and their outcomes', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser
  let lead: TestUser
  let second: TestUser
  let manager: TestUser
  let concernId: string
  let leadClient: TestClient

  before(async () => {
    // Tuesday 10 March 2026, 10:00.
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [])
    lead = await app.factories.user(org, ['dso'], { name: 'Lena Lead' })
    second = await app.factories.user(org, ['dso'], { name: 'Sid Second' })
    manager = await app.factories.user(org, ['safeguarding_manager', 'dso'], { name: 'Morgan Manager' })
    concernId = (await app.factories.concern(staff)).id
    await allocateAs(app, manager, concernId, lead, second)
    await decideAs(app, lead, concernId)
    leadClient = await app.signedIn(lead)
  })
  after(() => app.stop())

  const base = (key: string) => ({
    submissionKey: key,
    agency: 'Adult Social Care',
    'made-day': '10',
    'made-month': '3',
    'made-year': '2026',
    madeTime: '09:40',
    method: 'phone',
    contact: 'Duty social worker',
    agencyReference: 'ASC-1234',
    consent: 'given',
    informationShared: 'Name, address, what the referrer saw.',
    'follow-day': '17',
    'follow-month': '3',
    'follow-year': '2026',
  })

  it('refuses a follow-up date before the referral date, and consent refused without a reason, changing nothing', async () => {
    const form = await leadClient.get(`/concerns/${concernId}/referrals/new`)
    const key = form.$('input[name="submissionKey"]').attr('value')!
    const before = await countRows(app.database.db, 'onward_referral')
    const early = await leadClient.post(`/concerns/${concernId}/referrals/new`, { ...base(key), 'follow-day': '9' })
    assert.equal(early.status, 400)
    assert.deepEqual(errorSummary(early), ['The follow-up date must be on or after the date the referral was made'])
    const noReason = await leadClient.post(`/concerns/${concernId}/referrals/new`, { ...base(key), consent: 'refused_referred' })
    assert.deepEqual(errorSummary(noReason), ['Select why you referred without consent'])
    const notSought = await leadClient.post(`/concerns/${concernId}/referrals/new`, { ...base(key), consent: 'not_sought' })
    assert.deepEqual(errorSummary(notSought), ['Enter why consent was not sought'])
    assert.equal(notSought.$('#contact').attr('value'), 'Duty social worker', 'what was typed is kept')
    assert.equal(await countRows(app.database.db, 'onward_referral'), before)
  })

  it('records a referral with consent refused but referred because of risk; a double submit records one', async () => {
    const form = await leadClient.get(`/concerns/${concernId}/referrals/new`)
    const key = form.$('input[name="submissionKey"]').attr('value')!
    const body = { ...base(key), consent: 'refused_referred', refusedReason: 'risk_to_others' }
    const [a, b] = await Promise.all([leadClient.post(`/concerns/${concernId}/referrals/new`, body), leadClient.post(`/concerns/${concernId}/referrals/new`, body)])
    assert.deepEqual([a.status, b.status], [303, 303])
    const rows = await app.database.db.selectFrom('onward_referral').selectAll().where('concern_id', '=', concernId).execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.consent, 'refused_referred')
    assert.equal(rows[0]!.consent_reason, 'risk_to_others')
    assert.equal(rows[0]!.made_at.toISOString(), '2026-03-10T09:40:00.000Z')
    assert.equal(rows[0]!.follow_up_on, '2026-03-17')
    const tab = await leadClient.get(`/concerns/${concernId}/referrals`)
    assert.match(tab.text, /Consent refused, referred anyway – Risk to others/)
    const chronology = await app.database.db.selectFrom('chronology_entry').select('summary').where('concern_id', '=', concernId).where('category', '=', 'Onward referral').execute()
    assert.equal(chronology.length, 1)
    assert.ok(await app.database.db.selectFrom('audit_event').select('id').where('action', '=', 'onward-referral.create').where('record_id', '=', rows[0]!.id).executeTakeFirst())
  })

  it('only the Lead DSO adds referrals or records outcomes; others can read the tab', async () => {
    const secondClient = await app.signedIn(second)
    const tab = await secondClient.get(`/concerns/${concernId}/referrals`)
    assert.equal(tab.status, 200)
    assert.equal(tab.$('a:contains("Add an onward referral")').length, 0)
    assert.match((await secondClient.get(`/concerns/${concernId}/referrals/new`)).text, /Only the Lead DSO can record onward referrals/)
    assert.equal((await secondClient.post(`/concerns/${concernId}/referrals/new`, base('0195d3a0-0000-7000-8000-000000000001'))).status, 409)
  })

  it('lists overdue follow-ups for the Lead DSO and the manager, and the outcome clears them', async () => {
    app.clock.set('2026-03-18T09:00:00Z')
    const leadHome = await (await app.signedIn(lead)).get('/')
    assert.match(leadHome.$('#my-work').parent().text(), /Follow up the referral to Adult Social Care/)
    const managerHome = await (await app.signedIn(manager)).get('/')
    assert.match(managerHome.text, /Follow up the referral to Adult Social Care[\s\S]*Lead DSO: Lena Lead/)
    const referralTab = await (await app.signedIn(lead)).get(`/concerns/${concernId}/referrals`)
    assert.match(referralTab.text, /Follow-up overdue/)

    const client = await app.signedIn(lead)
    const referral = await app.database.db.selectFrom('onward_referral').select(['id', 'version']).where('concern_id', '=', concernId).executeTakeFirstOrThrow()
    const form = await client.get(`/concerns/${concernId}/referrals/${referral.id}/outcome`)
    assert.equal(form.status, 200)
    const missing = await client.post(`/concerns/${concernId}/referrals/${referral.id}/outcome`, { version: String(referral.version) })
    assert.deepEqual(errorSummary(missing), ['Select the outcome'])
    const ok = await client.post(`/concerns/${concernId}/referrals/${referral.id}/outcome`, { version: String(referral.version), outcome: 'accepted', outcomeNote: 's42 enquiry opened' })
    assert.equal(ok.status, 303)
    const stale = await client.post(`/concerns/${concernId}/referrals/${referral.id}/outcome`, { version: String(referral.version), outcome: 'signposted' })
    assert.equal(stale.status, 409)
    const saved = await app.database.db.selectFrom('onward_referral').select(['outcome', 'outcome_note', 'outcome_recorded_by']).where('id', '=', referral.id).executeTakeFirstOrThrow()
    assert.deepEqual(saved, { outcome: 'accepted', outcome_note: 's42 enquiry opened', outcome_recorded_by: lead.id })
    const after = await client.get('/')
    assert.doesNotMatch(after.text, /Follow up the referral to Adult Social Care/)
    const chronology = await app.database.db.selectFrom('chronology_entry').select('summary').where('concern_id', '=', concernId).where('category', '=', 'Referral outcome').executeTakeFirstOrThrow()
    assert.match(chronology.summary, /Adult Social Care: Accepted by the agency/)
  })
})
