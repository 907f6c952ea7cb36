import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { headingText, type Page } from '../../../../test/helpers/client.js'
import { completeConcernForm, raiseConcernThroughForms, summaryAnswers } from '../../../../test/helpers/concern-form.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'

function viewerRows(page: Page): string[][] {
  return page
    .$('tbody tr')
    .map((_, tr) => [page.$(tr).find('td').map((__, td) => page.$(td).text().trim()).get()])
    .get() as string[][]
}

describe('a concern as the safeguarding team sees it', () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let dso: TestUser
  let manager: TestUser
  let auditor: TestUser
  let concernId: string
  const narrative = 'He said "don’t tell anyone".\n\n  <b>Indented</b> line & more.'

  before(async () => {
    // Monday 9 March 2026, 10:15 London time.
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    referrer = await app.factories.user(org, [], { name: 'Sam Referrer' })
    dso = await app.factories.user(org, ['dso'], { name: 'Dana Officer' })
    manager = await app.factories.user(org, ['safeguarding_manager', 'dso'], { name: 'Morgan Manager' })
    auditor = await app.factories.user(org, ['auditor'], { name: 'Aubrey Auditor' })
    concernId = await raiseConcernThroughForms(await app.signedIn(referrer), { ...completeConcernForm(org), whatHappened: narrative.replace(/\n/g, '\r\n'), immediateDanger: 'yes' })
  })
  after(() => app.stop())

  it('shows exactly what the referrer entered, with the deadline, and audits the view', async () => {
    app.clock.set('2026-03-09T11:00:00Z')
    const client = await app.signedIn(dso)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const page = await client.get(`/concerns/${concernId}`)
    assert.equal(page.status, 200)
    assert.equal(page.headers.get('cache-control'), 'no-store')
    const rows = summaryAnswers(page)
    assert.equal(rows.get('Status'), 'New')
    assert.equal(rows.get('Received'), '9 March 2026 at 10:15am')
    assert.equal(rows.get('Raised by'), `Sam Referrer, ${org.services[1]!.name}`)
    assert.equal(rows.get('Deadline'), 'End of 11 March 2026 2 working days left')
    assert.equal(rows.get('Addressed'), 'Not yet')
    assert.equal(rows.get('Who is at risk'), 'An adult')
    assert.equal(rows.get('Name'), 'Margaret Ellis')
    assert.equal(rows.get('Other names'), 'Peggy')
    assert.equal(rows.get('Date of birth'), '28 February 1941')
    assert.equal(rows.get('Address'), '12 Mill Lane\nWealdmoor')
    assert.equal(rows.get('Postcode'), 'WX1 2AB')
    assert.equal(rows.get('What happened'), narrative)
    assert.equal(rows.get('Types of concern'), 'Financial or Material Abuse (adult)Psychological Abuse (adult)')
    assert.equal(rows.get('Referring service'), org.services[1]!.name)
    assert.equal(rows.get('Anyone in immediate danger'), 'Yes')
    assert.match(page.text, /The referrer said someone was in immediate danger\./)
    assert.doesNotMatch(page.text, /<b>Indented<\/b>/, 'the referrer’s markup is shown as text')
    assert.equal(page.$('.govuk-summary-list__actions').length, 0, 'nobody can change what the referrer said')

    const audit = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(
      audit.map((r) => [r.action, r.outcome, r.record_type, r.record_id, r.actor_user_id]),
      [['concern.view', 'success', 'concern', concernId, dso.id]],
    )
    assert.deepEqual(audit[0]!.details, {}, 'no narrative or names in the audit row')
    app.clock.set('2026-03-09T10:15:00Z')
  })

  it('is open to senior lead officers and auditors, not to staff or administrators', async () => {
    const slo = await app.factories.user(org, ['senior_lead_officer'])
    assert.equal((await (await app.signedIn(slo)).get(`/concerns/${concernId}`)).status, 200)
    assert.equal((await (await app.signedIn(auditor)).get(`/concerns/${concernId}`)).status, 200)
    for (const user of [referrer, await app.factories.user(org, ['admin'])]) {
      const page = await (await app.signedIn(user)).get(`/concerns/${concernId}`)
      assert.equal(page.status, 403)
      assert.doesNotMatch(page.text, /Margaret|Ellis|bank card/)
    }
  })

  it('shows nothing, and records nothing as viewed, when the audit row cannot be written', async () => {
    // The read and its audit row are one transaction: if the audit insert fails, so does the page.
    await sql`CREATE FUNCTION refuse_concern_view_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'concern.view' THEN RAISE EXCEPTION 'audit unavailable'; END IF; RETURN NEW; END $$`.execute(app.database.owner)
    await sql`CREATE TRIGGER refuse_concern_view_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION refuse_concern_view_audit()`.execute(app.database.owner)
    try {
      const client = await app.signedIn(dso)
      const page = await client.get(`/concerns/${concernId}`)
      assert.equal(page.status, 500)
      assert.doesNotMatch(page.text, /Margaret|Ellis|bank card/)
    } finally {
      await sql`DROP TRIGGER refuse_concern_view_audit ON audit_event`.execute(app.database.owner)
      await sql`DROP FUNCTION refuse_concern_view_audit()`.execute(app.database.owner)
    }
  })

  it('answers 404 for another organisation, for malformed ids and for ids that do not exist', async () => {
    const elsewhere = await app.factories.organisation('Elsewhere Council')
    const theirDso = await app.factories.user(elsewhere, ['dso', 'safeguarding_manager'])
    const client = await app.signedIn(theirDso)
    for (const path of [`/concerns/${concernId}`, `/concerns/${concernId}/viewers`]) {
      const page = await client.get(path)
      assert.equal(page.status, 404, path)
      assert.equal(headingText(page), 'Page not found')
    }
    const ours = await app.signedIn(dso)
    for (const bad of ['nonsense', '12345', concernId.slice(0, -1), `${concernId}0`, '0190a6a4-1c2b-7d3e-8f40-123456789abc']) {
      assert.equal((await ours.get(`/concerns/${bad}`)).status, 404, bad)
    }
  })

  it('answers 404 for a restricted concern to everyone not named on it', async () => {
    const { id } = await app.factories.concern(referrer, { personName: 'Restricted Person' })
    await app.database.db.updateTable('concern').set({ restricted: true }).where('id', '=', id).execute()
    await app.database.db.insertInto('concern_access').values({ organisation_id: org.id, concern_id: id, user_id: dso.id, granted_by: manager.id, granted_at: app.clock.now() }).execute()

    for (const user of [manager, auditor]) {
      const client = await app.signedIn(user)
      for (const path of [`/concerns/${id}`, `/concerns/${id}/viewers`]) {
        const page = await client.get(path)
        assert.equal(page.status, 404, `${path} as ${user.displayName}`)
        assert.doesNotMatch(page.text, /Restricted Person/)
      }
    }
    const named = await (await app.signedIn(dso)).get(`/concerns/${id}`)
    assert.equal(named.status, 200)
    assert.match(named.text, /Restricted Person/)
    assert.match(named.$('.kestrel-identity-bar').text(), /Restricted/)
  })

  describe('who has viewed it', () => {
    it('lists every view with the viewer’s name and time, newest first, for managers and auditors', async () => {
      const { id } = await app.factories.concern(referrer, { personName: 'Viewed Person' })
      app.clock.set('2026-03-09T13:05:00Z')
      await (await app.signedIn(dso)).get(`/concerns/${id}`)
      app.clock.set('2026-03-09T14:20:00Z')
      await (await app.signedIn(referrer)).get(`/my-concerns/${id}`)
      app.clock.set('2026-03-09T15:45:00Z')
      await (await app.signedIn(auditor)).get(`/concerns/${id}`)

      for (const reader of [manager, auditor]) {
        const client = await app.signedIn(reader)
        const summary = await client.get(`/concerns/${id}`)
        assert.ok(summary.$('a[href$="/viewers"]').length > 0, 'the tab is offered')
        const seq = await lastAuditSeq(app.database.db, org.id)
        const page = await client.get(`/concerns/${id}/viewers`)
        assert.equal(page.status, 200)
        assert.equal(headingText(page), 'Who has viewed this concern')
        const rows = viewerRows(page)
        assert.deepEqual(
          rows.slice(-3).map((r) => r.slice(0, 2)),
          [
            ['9 March 2026 at 3:45pm', 'Aubrey Auditor'],
            ['9 March 2026 at 2:20pm', 'Sam Referrer'],
            ['9 March 2026 at 1:05pm', 'Dana Officer'],
          ],
        )
        assert.match(rows.at(-2)![2]!, /own submission/, 'the referrer’s look at their own copy is told apart')
        assert.equal(rows[0]![1], reader.displayName, 'their own look at the summary is listed first')
        const audit = await auditRowsAfter(app.database.db, org.id, seq)
        assert.deepEqual(
          audit.map((r) => [r.action, r.record_id]),
          [['concern.viewers', id]],
        )
      }
      app.clock.set('2026-03-09T10:15:00Z')
    })

    it('is refused to DSOs and senior lead officers, and not offered to them as a tab', async () => {
      for (const user of [dso, await app.factories.user(org, ['senior_lead_officer'])]) {
        const client = await app.signedIn(user)
        const summary = await client.get(`/concerns/${concernId}`)
        assert.equal(summary.$('a[href$="/viewers"]').length, 0)
        assert.equal((await client.get(`/concerns/${concernId}/viewers`)).status, 403)
      }
    })
  })
})
