import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp, TEST_KEYRING, type TestApp } from '../../../../test/helpers/app.js'
import { caseTeam, deps, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary, headingText } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { closedCaseWithContent } from '../../../../test/helpers/retention.js'
import { verifyChain } from '../../../services/audit-verify.js'
import { placeLegalHold, proposeDisposal } from '../../../services/disposal.js'
import { refreshReports } from '../../../services/report-refresh.js'

/**
 * Retention-driven disposal end to end: cases closed in 2019 are due in 2026 (adult cases six
 * years after closure); a manager proposes, a second person (a Senior Lead Officer) approves, and
 * the content goes while the reference, the statistics and the audit trail stay.
 */
describe('records due for disposal: propose, approve, dispose', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let sloTwo: TestUser
  let oldCase: string
  let heldCase: string
  let recentCase: string
  let anotherCase: string

  const countFor = async (table: string, concernId: string) =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE concern_id = ${concernId}`.execute(app.database.db)).rows[0]!.n)
  const concern = (id: string) => app.database.db.selectFrom('concern').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const disposals = (id: string) => app.database.db.selectFrom('disposal').selectAll().where('concern_id', '=', id).execute()
  const auditActions = async (id: string) => (await app.database.db.selectFrom('audit_event').select('action').where('record_id', '=', id).orderBy('seq').execute()).map((r) => r.action)

  before(async () => {
    // Tuesday 5 March 2019: the cases are raised and closed then.
    app = await startTestApp({ now: '2019-03-05T09:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    sloTwo = await app.factories.user(org, ['senior_lead_officer'], { name: 'Simon Senior' })
    oldCase = await closedCaseWithContent(app, team, '2019-03-05')
    heldCase = await closedCaseWithContent(app, team, '2019-03-05')
    app.clock.set('2019-03-12T09:00:00Z')
    anotherCase = await closedCaseWithContent(app, team, '2019-03-12')
    // Closed in 2024: kept until 2030.
    app.clock.set('2024-06-04T09:00:00Z')
    recentCase = await closedCaseWithContent(app, team, '2024-06-04')
    app.clock.set('2026-11-24T10:00:00Z')
    const held = await placeLegalHold(deps(app), app.factories.context(team.manager), heldCase, 'Independent inquiry: keep all adult records from 2019')
    assert.equal(held.kind, 'done')
  })
  after(() => app.stop())

  it('lists closed cases whose retention has ended, oldest first, leaving out held and recent ones', async () => {
    const manager = await app.signedIn(team.manager)
    const page = await manager.get('/records/disposal')
    assert.equal(page.status, 200)
    assert.equal(headingText(page), 'Records due for disposal')
    const listed = page.$('tbody tr').map((_, row) => page.$(row).find('a').first().attr('href')).get()
    assert.deepEqual(listed, [`/concerns/${oldCase}`, `/concerns/${anotherCase}`])
    assert.match(page.text, /1 closed case is under a legal hold and kept/)
    assert.match(page.$('tbody tr').text(), /5 March 2025/)
    assert.ok(!listed.includes(`/concerns/${recentCase}`))
  })

  it('lets a manager propose a disposal once, audited, and shows it waiting for a second person', async () => {
    const manager = await app.signedIn(team.manager)
    await manager.get('/records/disposal')
    const proposed = await manager.post(`/records/disposal/${oldCase}/propose`, {})
    assert.equal(proposed.status, 303)
    const rows = await disposals(oldCase)
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.status, 'proposed')
    assert.equal(rows[0]!.proposed_by, team.manager.id)
    assert.ok((await auditActions(oldCase)).includes('disposal.propose'))
    const page = await manager.follow(proposed)
    assert.match(page.$('tbody tr').text(), /Proposed by you/)
    const again = await proposeDisposal(deps(app), app.factories.context(team.slo), oldCase)
    assert.deepEqual(again, { kind: 'refused', reason: 'Someone has already proposed disposing of this case.' })
    assert.equal((await disposals(oldCase)).length, 1)
  })

  it('refuses to propose a held case or one still within its retention, changing nothing', async () => {
    const ctx = app.factories.context(team.manager)
    assert.deepEqual(await proposeDisposal(deps(app), ctx, heldCase), { kind: 'refused', reason: 'This case is under a legal hold, so it must be kept.' })
    assert.deepEqual(await proposeDisposal(deps(app), ctx, recentCase), { kind: 'refused', reason: 'This case must be kept until 4 June 2030.' })
    assert.equal((await disposals(heldCase)).length + (await disposals(recentCase)).length, 0)
  })

  it('does not let a manager approve, nor a Senior Lead Officer approve their own proposal', async () => {
    const manager = await app.signedIn(team.manager)
    assert.equal((await manager.get(`/records/disposal/${oldCase}`)).status, 403)
    // A second case, proposed by a Senior Lead Officer: only another one may approve it.
    const another = anotherCase
    assert.equal((await proposeDisposal(deps(app), app.factories.context(team.slo), another)).kind, 'done')
    const slo = await app.signedIn(team.slo)
    const page = await slo.get(`/records/disposal/${another}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /You proposed this disposal, so someone else must approve it/)
    assert.equal(page.$('button.govuk-button--warning').length, 0)
    await slo.get('/records/disposal')
    const version = String((await disposals(another))[0]!.version)
    const refused = await slo.post(`/records/disposal/${another}`, { confirm: 'yes', version })
    assert.equal(refused.status, 409)
    assert.equal((await concern(another)).disposed_at, null)
    assert.equal(await countFor('case_note', another), 1)
  })

  it('asks the approver to confirm, and changes nothing without it', async () => {
    const slo = await app.signedIn(sloTwo)
    const page = await slo.get(`/records/disposal/${oldCase}`)
    assert.equal(page.status, 200)
    assert.match(page.$('.govuk-summary-list').text(), /Proposed by\s+Morgan Manager/)
    const sent = await slo.post(`/records/disposal/${oldCase}`, { version: page.$('input[name="version"]').attr('value')! })
    assert.equal(sent.status, 400)
    assert.deepEqual(errorSummary(sent), ['Confirm that this record may be disposed of'])
    assert.equal((await concern(oldCase)).disposed_at, null)
  })

  it('disposes of the content when a second person approves, keeping the reference, the figures and the audit trail', async () => {
    await refreshReports(app.database.db, org.id, app.clock.now())
    const before = await concern(oldCase)
    const factBefore = await app.database.db.selectFrom('report_concern_fact').selectAll().where('concern_id', '=', oldCase).executeTakeFirstOrThrow()
    for (const table of ['case_note', 'case_document', 'chronology_entry', 'concern_person', 'onward_referral']) assert.ok((await countFor(table, oldCase)) > 0, `${table} has rows before`)
    const slo = await app.signedIn(sloTwo)
    const page = await slo.get(`/records/disposal/${oldCase}`)
    const approved = await slo.post(`/records/disposal/${oldCase}`, { confirm: 'yes', version: page.$('input[name="version"]').attr('value')! })
    assert.equal(approved.status, 303)

    const after = await concern(oldCase)
    assert.ok(after.disposed_at)
    assert.equal(after.reference, before.reference)
    assert.equal(after.person_name, '')
    assert.equal(after.what_happened, '')
    assert.equal(after.person_date_of_birth, null)
    assert.equal(after.person_address, null)
    assert.equal(after.closing_summary, null)
    assert.deepEqual([after.status, after.decision, after.concern_types, after.location, after.sac_outcome], [before.status, before.decision, before.concern_types, before.location, before.sac_outcome])
    for (const table of ['case_note', 'case_document', 'chronology_entry', 'concern_person', 'concern_allocation', 'closure_request', 'review_item']) assert.equal(await countFor(table, oldCase), 0, `${table} emptied`)
    const documents = await sql<{ n: number }>`SELECT count(*)::int AS n FROM document_content dc WHERE NOT EXISTS (SELECT 1 FROM case_document d WHERE d.id = dc.document_id)`.execute(app.database.db)
    assert.equal(documents.rows[0]!.n, 0)
    const referral = await app.database.db.selectFrom('onward_referral').selectAll().where('concern_id', '=', oldCase).executeTakeFirstOrThrow()
    assert.equal(referral.information_shared, null)
    assert.ok(referral.agency)
    // The person linked only to this case is gone; the other cases keep their own copies.
    const daisies = await app.database.db.selectFrom('person').select('id').where('name', '=', 'Daisy Disposable').execute()
    assert.equal(daisies.length, 3)
    assert.equal(await countFor('concern_person', anotherCase), 1)
    // The statistics keep the case (no person key), so published figures do not change.
    const factAfter = await app.database.db.selectFrom('report_concern_fact').selectAll().where('concern_id', '=', oldCase).executeTakeFirstOrThrow()
    assert.deepEqual({ ...factAfter, person_key: factBefore.person_key, repeat_basis: factBefore.repeat_basis }, factBefore)
    assert.equal(factAfter.person_key, null)
    // …and a later refresh, which rebuilds the case's facts from what is left, counts it the same.
    await refreshReports(app.database.db, org.id, app.clock.now())
    const refreshed = await app.database.db.selectFrom('report_concern_fact').selectAll().where('concern_id', '=', oldCase).executeTakeFirstOrThrow()
    assert.deepEqual({ ...refreshed, person_key: factBefore.person_key, repeat_basis: factBefore.repeat_basis }, factBefore)

    const disposal = (await disposals(oldCase))[0]!
    assert.deepEqual([disposal.status, disposal.proposed_by, disposal.decided_by], ['disposed', team.manager.id, sloTwo.id])
    const actions = await auditActions(oldCase)
    assert.equal(actions.at(-1), 'concern.dispose')
    assert.ok(actions.length > 5, 'earlier audit rows about the case are kept')
    assert.equal((await verifyChain(app.database.db, org.id, TEST_KEYRING)).ok, true)
  })

  it('answers the disposed case with a page saying so, lists it in the register, and keeps it out of case lists', async () => {
    const lead = await app.signedIn(team.lead)
    const gone = await lead.get(`/concerns/${oldCase}`)
    assert.equal(gone.status, 410)
    assert.equal(headingText(gone), 'This record has been disposed of')
    assert.equal((await lead.get(`/concerns/${oldCase}/notes`)).status, 410)
    const reference = (await concern(oldCase)).reference
    const list = await lead.get('/cases?filter=closed')
    assert.equal(list.status, 200)
    assert.doesNotMatch(list.text, new RegExp(reference))
    const auditor = await app.signedIn(team.auditor)
    const register = await auditor.get('/records/disposed')
    assert.equal(register.status, 200)
    const row = register.$('tbody tr').first().text()
    assert.match(row, new RegExp(reference))
    assert.match(row, /Morgan Manager/)
    assert.match(row, /Simon Senior/)
    assert.match(row, /Adult case: 6 years after closure/)
  })

  it('keeps the evidence tables append-only outside an approved disposal', async () => {
    // The application's role may not delete at all (PostgreSQL); even the owner meets the triggers.
    for (const db of [app.database.db, app.database.owner]) {
      await assert.rejects(sql`DELETE FROM case_note WHERE concern_id = ${recentCase}`.execute(db), /append-only|permission denied/)
      await assert.rejects(sql`DELETE FROM chronology_entry WHERE concern_id = ${recentCase}`.execute(db), /append-only|permission denied/)
      await assert.rejects(sql`DELETE FROM document_content`.execute(db), /append-only|permission denied/)
    }
    await assert.rejects(sql`DELETE FROM case_note WHERE concern_id = ${recentCase}`.execute(app.database.owner), /append-only/)
    const fake = (await disposals(oldCase))[0]!.id
    await assert.rejects(sql`SELECT kestrel_dispose_evidence(${org.id}::uuid, ${recentCase}::uuid, ${fake}::uuid)`.execute(app.database.db), /no disposal approved by a second person/)
    assert.equal(await countFor('case_note', recentCase), 1)
  })

  it('refuses every proposal while an administrator has paused disposal', async () => {
    await app.database.db
      .insertInto('retention_setting')
      .values({ organisation_id: org.id, adult_years_after_closure: 6, child_until_age: 25, child_years_after_closure: 6, disposal_paused: true, paused_reason: 'Public inquiry', updated_at: new Date() })
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ disposal_paused: true, paused_reason: 'Public inquiry' }))
      .execute()
    app.clock.set('2030-06-05T09:00:00Z')
    const outcome = await proposeDisposal(deps(app), app.factories.context(team.manager), recentCase)
    assert.equal(outcome.kind, 'refused')
    assert.match((outcome as { reason: string }).reason, /Disposal is paused/)
    const manager = await app.signedIn(team.manager)
    const page = await manager.get('/records/disposal')
    assert.match(page.text, /Disposal is paused/)
    assert.equal(page.$('form[action$="/propose"]').length, 0)
  })
})
