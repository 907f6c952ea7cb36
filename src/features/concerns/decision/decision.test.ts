import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { allocateAs, concernVersion } from '../../../../test/helpers/triage.js'

describe('the initial decision', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser
  let lead: TestUser
  let second: TestUser
  let other: TestUser
  let manager: TestUser

  before(async () => {
    // Thursday 22 December 2022, 11:00: the deadline is the end of Wednesday 28 December.
    app = await startTestApp({ now: '2022-12-22T11:00:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
    lead = await app.factories.user(org, ['dso'], { name: 'Lena Lead' })
    second = await app.factories.user(org, ['dso'], { name: 'Sid Second' })
    other = await app.factories.user(org, ['dso'], { name: 'Otto Other' })
    manager = await app.factories.user(org, ['safeguarding_manager', 'dso'], { name: 'Morgan Manager' })
  })
  after(() => app.stop())

  async function allocated() {
    app.clock.set('2022-12-22T11:00:00Z')
    const { id, reference } = await app.factories.concern(staff, { personName: 'Edith Crane' })
    await allocateAs(app, manager, id, lead, second)
    return { id, reference }
  }

  const validForm = (version: number) => ({
    version: String(version),
    confirmedTypes: ['adult:Self-Neglect', 'adult:Financial or Material Abuse'],
    riskLevel: 'high',
    decision: 'onward_referral',
    rationale: 'Lives alone; no food in the house.\nNeeds a care assessment.',
  })

  it('a DSO not on the case sees it in the queue and on the summary, but cannot record the decision', async () => {
    const { id, reference } = await allocated()
    const client = await app.signedIn(other)
    const queue = await client.get('/queue')
    const row = queue.$('tr').filter((_, el) => queue.$(el).text().includes(reference))
    assert.match(row.text(), /Lena Lead/)
    const summary = await client.get(`/concerns/${id}`)
    assert.equal(summary.status, 200)
    assert.equal(summary.$(`a[href="/concerns/${id}/decision"]`).length, 0)
    assert.match(summary.text, /Only the Lead DSO can record it/)
    const page = await client.get(`/concerns/${id}/decision`)
    assert.match(page.text, /Only the Lead DSO can record the initial decision/)
    const post = await client.post(`/concerns/${id}/decision`, validForm(await concernVersion(app, id)))
    assert.equal(post.status, 409)
    assert.equal((await app.database.db.selectFrom('concern').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'allocated')
    // The Second DSO cannot either.
    const secondClient = await app.signedIn(second)
    await secondClient.get(`/concerns/${id}`)
    assert.equal((await secondClient.post(`/concerns/${id}/decision`, validForm(await concernVersion(app, id)))).status, 409)
  })

  it('the Second DSO confirms in Kestrel, then the Lead records the decision: the clock stops and the case opens', async () => {
    const { id } = await allocated()
    const secondClient = await app.signedIn(second)
    const summary = await secondClient.get(`/concerns/${id}`)
    assert.equal(summary.$('button:contains("Confirm I agree")').length, 1)
    const agreed = await secondClient.post(`/concerns/${id}/agreement`, { version: String(await concernVersion(app, id)), agreementNote: 'Agree: refer to ASC' })
    assert.equal(agreed.status, 303)

    app.clock.set('2022-12-28T16:00:00Z')
    const client = await app.signedIn(lead)
    const form = await client.get(`/concerns/${id}/decision`)
    assert.match(form.text, /Sid Second \(Second DSO\) confirmed their agreement in Kestrel/)
    assert.equal(form.$('#delayReason').length, 0, 'no delay reason before the deadline')
    const response = await client.post(`/concerns/${id}/decision`, validForm(await concernVersion(app, id)))
    assert.equal(response.status, 303)
    assert.equal(response.location, `/concerns/${id}/referrals/new`)
    const c = await app.database.db.selectFrom('concern').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(c.status, 'open')
    assert.equal(c.addressed_at?.toISOString(), '2022-12-28T16:00:00.000Z')
    assert.equal(c.decision, 'onward_referral')
    assert.equal(c.risk_level, 'high')
    assert.deepEqual(c.confirmed_types, ['adult:Self-Neglect', 'adult:Financial or Material Abuse'])
    assert.equal(c.decision_rationale, 'Lives alone; no food in the house.\nNeeds a care assessment.')
    assert.equal(c.second_agreement_method, 'confirmed_in_kestrel')
    assert.equal(c.second_agreement_note, 'Agree: refer to ASC')
    const chronology = await app.database.db.selectFrom('chronology_entry').select('category').where('concern_id', '=', id).orderBy('occurred_at').orderBy('recorded_at').execute()
    assert.deepEqual(chronology.map((e) => e.category), ['Concern received', 'Allocated', 'Second DSO agreed', 'Types of concern changed', 'Initial decision'])
    const auditActions = await app.database.db.selectFrom('audit_event').select('action').where('record_id', '=', id).orderBy('seq').execute()
    assert.ok(auditActions.some((a) => a.action === 'concern.second-agree') && auditActions.some((a) => a.action === 'concern.decide'))
    const decideAudit = await app.database.db.selectFrom('audit_event').select('details').where('record_id', '=', id).where('action', '=', 'concern.decide').executeTakeFirstOrThrow()
    assert.equal(decideAudit.details.within_target, true)
    assert.ok(!JSON.stringify(decideAudit.details).includes('no food'), 'no narrative in the audit log')

    // Off the queue now.
    const queue = await client.get('/queue')
    assert.equal(queue.$(`a[href="/concerns/${id}"]`).length, 0)
  })

  it('needs a rationale, and the Second DSO’s agreement when they have not confirmed; bad input changes nothing', async () => {
    const { id } = await allocated()
    const client = await app.signedIn(lead)
    await client.get(`/concerns/${id}/decision`)
    const version = await concernVersion(app, id)
    const response = await client.post(`/concerns/${id}/decision`, { ...validForm(version), rationale: '   ' })
    assert.equal(response.status, 400)
    assert.deepEqual(errorSummary(response), ['Enter the rationale for the decision', 'Enter the date the Second DSO agreed, or ask them to confirm in Kestrel', 'Enter how the Second DSO agreed, for example by phone'])
    assert.equal(response.$('#rationale').text(), '   ')
    const c = await app.database.db.selectFrom('concern').select(['status', 'version', 'addressed_at']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(c, { status: 'allocated', version, addressed_at: null })

    // The Lead records when and how the Second agreed.
    const ok = await client.post(`/concerns/${id}/decision`, { ...validForm(version), 'agreed-day': '22', 'agreed-month': '12', 'agreed-year': '2022', agreedTime: '10:30', agreedHow: 'By phone' })
    // 10:30 is before the allocation at 11:00: refused.
    assert.equal(ok.status, 400)
    assert.deepEqual(errorSummary(ok), ['The time the Second DSO agreed must be after the concern was allocated'])
    // Later that day (a new sign-in: sessions time out after 15 idle minutes).
    app.clock.set('2022-12-22T14:00:00Z')
    const later = await app.signedIn(lead)
    await later.get(`/concerns/${id}/decision`)
    const good = await later.post(`/concerns/${id}/decision`, { ...validForm(version), 'agreed-day': '22', 'agreed-month': '12', 'agreed-year': '2022', agreedTime: '13:15', agreedHow: 'By phone' })
    assert.equal(good.status, 303)
    assert.equal(good.location, `/concerns/${id}/referrals/new`)
    const after = await app.database.db.selectFrom('concern').select(['second_agreement_method', 'second_agreed_at', 'second_agreement_note']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(after, { second_agreement_method: 'recorded_by_lead', second_agreed_at: new Date('2022-12-22T13:15:00Z'), second_agreement_note: 'By phone' })
  })

  it('after the deadline (Thu 29 Dec 2022) the decision needs a reason for the delay', async () => {
    const { id } = await allocated()
    const secondClient = await app.signedIn(second)
    await secondClient.get(`/concerns/${id}`)
    await secondClient.post(`/concerns/${id}/agreement`, { version: String(await concernVersion(app, id)) })
    app.clock.set('2022-12-29T09:00:00Z')
    const client = await app.signedIn(lead)
    const form = await client.get(`/concerns/${id}/decision`)
    assert.match(form.text, /The deadline \(end of 28 December 2022\) has passed/)
    const missing = await client.post(`/concerns/${id}/decision`, validForm(await concernVersion(app, id)))
    assert.deepEqual(errorSummary(missing), ['Enter the reason the decision was made after the deadline'])
    const ok = await client.post(`/concerns/${id}/decision`, { ...validForm(await concernVersion(app, id)), delayReason: 'Christmas closure: no duty cover on 28 December' })
    assert.equal(ok.status, 303)
    const c = await app.database.db.selectFrom('concern').select(['delay_reason', 'addressed_at']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(c.delay_reason, 'Christmas closure: no duty cover on 28 December')
    const audit = await app.database.db.selectFrom('audit_event').select('details').where('record_id', '=', id).where('action', '=', 'concern.decide').executeTakeFirstOrThrow()
    assert.equal(audit.details.within_target, false)
  })

  it('the Lead submitting from two windows at once records one decision; the other gets the conflict page', async () => {
    const { id } = await allocated()
    app.clock.set('2022-12-22T12:00:00Z')
    const client = await app.signedIn(lead)
    const window2 = await app.signedIn(lead)
    await client.get(`/concerns/${id}/decision`)
    await window2.get(`/concerns/${id}/decision`)
    const version = await concernVersion(app, id)
    const body = { ...validForm(version), 'agreed-day': '22', 'agreed-month': '12', 'agreed-year': '2022', agreedTime: '11:05', agreedHow: 'In person' }
    const results = await Promise.all([client.post(`/concerns/${id}/decision`, body), window2.post(`/concerns/${id}/decision`, { ...body, decision: 'no_further_action' })])
    assert.deepEqual(results.map((r) => r.status).sort(), [303, 409])
    const decisions = await app.database.db.selectFrom('chronology_entry').select('id').where('concern_id', '=', id).where('category', '=', 'Initial decision').execute()
    assert.equal(decisions.length, 1)
  })

  it('the referrer never sees decision detail: only that it was dealt with and who the Lead DSO is', async () => {
    const { id } = await allocated()
    const secondClient = await app.signedIn(second)
    await secondClient.get(`/concerns/${id}`)
    await secondClient.post(`/concerns/${id}/agreement`, { version: String(await concernVersion(app, id)) })
    const client = await app.signedIn(lead)
    await client.get(`/concerns/${id}/decision`)
    await client.post(`/concerns/${id}/decision`, { ...validForm(await concernVersion(app, id)), rationale: 'SECRET-RATIONALE' })
    const referrer = await app.signedIn(staff)
    const page = await referrer.get(`/my-concerns/${id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Addressed/)
    assert.match(page.text, /Lena Lead is the Lead Designated Safeguarding Officer/)
    for (const secret of ['SECRET-RATIONALE', 'Onward referral', 'High', 'Sid Second']) assert.ok(!page.text.includes(secret), `referrer page shows ${secret}`)
    const notifications = await referrer.get('/notifications')
    assert.match(notifications.text, /has dealt with your concern/)
    assert.ok(!notifications.text.includes('SECRET-RATIONALE'))
    const email = await app.database.db.selectFrom('email_outbox').select('body').where('to_address', '=', staff.email).where('kind', '=', 'referrer_update').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
    assert.match(email.body, /Lena Lead is the Lead Designated Safeguarding Officer/)
    assert.ok(!email.body.includes('SECRET-RATIONALE') && !email.body.includes('Edith Crane'))
    // And the referrer cannot open the case record.
    assert.equal((await referrer.get(`/concerns/${id}`)).status, 403)
  })
})
