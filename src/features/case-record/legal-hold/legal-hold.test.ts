import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { agreeFinalReview, caseTeam, deps, openCase, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary, headingText, type Page, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'
import { concernVersion } from '../../../../test/helpers/triage.js'
import { newId } from '../../../ids.js'
import type { ConcernAnswers } from '../../../services/raise-concern.js'
import { decideClosure, requestClosure } from '../../../services/closure.js'

const ADULT_CLOSURE = { sacOutcome: 'risk_identified_action_taken', riskOutcome: 'risk_reduced', mspAsked: 'asked_expressed', mspAchieved: 'partially' }
const NO_SAC = { sacOutcome: null, riskOutcome: null, mspAsked: null, mspAchieved: null }
const REASON = 'Solicitors for the family wrote on 2 March 2026 about a claim: keep the whole record.'

describe('legal holds, and retention on the Reviews and closure tab', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let managerTwo: TestUser
  let closedAdult: string
  let closedChild: string
  let open: string
  let restricted: string

  /** Final Review, closure request and the Senior Lead Officer's approval, through the real services. */
  async function closedCase(answers: Partial<ConcernAnswers> = {}): Promise<string> {
    const id = await openCase(app, team, answers)
    await agreeFinalReview(app, team, id, '2026-03-03')
    const adult = (answers.atRisk ?? 'adult') === 'adult'
    const requested = await requestClosure(deps(app), app.factories.context(team.lead), id, await concernVersion(app, id), { closingSummary: 'Care package in place.', ...(adult ? ADULT_CLOSURE : NO_SAC) }, newId())
    assert.equal(requested.kind, 'done', JSON.stringify(requested))
    const decided = await decideClosure(deps(app), app.factories.context(team.slo), id, await concernVersion(app, id), 'approve', null)
    assert.equal(decided.kind, 'done', JSON.stringify(decided))
    return id
  }

  const holds = (id: string) => app.database.db.selectFrom('legal_hold').selectAll().where('concern_id', '=', id).orderBy('placed_at').execute()
  const retentionRows = (page: Page) => page.$('#retention ~ .govuk-summary-list').first().find('.govuk-summary-list__value').map((_, el) => page.$(el).text().trim()).get()

  async function place(client: TestClient, id: string, reason: string) {
    await client.get(`/concerns/${id}/legal-hold`)
    return client.post(`/concerns/${id}/legal-hold`, { reason })
  }

  before(async () => {
    // Tuesday 3 March 2026.
    app = await startTestApp({ now: '2026-03-03T09:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    managerTwo = await app.factories.user(org, ['safeguarding_manager', 'dso'], { name: 'Mo Othermanager' })
    closedAdult = await closedCase()
    closedChild = await closedCase({ atRisk: 'child', personDateOfBirth: '2015-06-01', concernTypes: ['child:Neglect'] })
    open = await openCase(app, team)
    restricted = await openCase(app, team)
    const manager = await app.signedIn(team.manager)
    const access = await manager.get(`/concerns/${restricted}/access`)
    const restricting = await manager.post(`/concerns/${restricted}/access`, { restricted: 'yes', userIds: [team.lead.id, team.second.id, team.manager.id], reason: 'A member of staff is the alleged person responsible.', version: access.$('input[name="version"]').attr('value')! })
    assert.equal(restricting.status, 303)
  })
  after(() => app.stop())

  it('shows the retention rule and the first disposal date of a closed case, and says when an open one starts', async () => {
    const lead = await app.signedIn(team.lead)
    const adult = await lead.get(`/concerns/${closedAdult}/reviews`)
    assert.equal(adult.status, 200)
    assert.equal(adult.$('#retention').text(), 'Retention')
    assert.deepEqual(retentionRows(adult), ['Adult case: 6 years after closure', 'This case may be disposed of from 3 March 2032'])
    assert.equal(adult.$('.govuk-warning-text').length, 0, 'no hold')

    // Born 1 June 2015: kept until the 25th birthday, later than six years after closure.
    const child = await lead.get(`/concerns/${closedChild}/reviews`)
    assert.deepEqual(retentionRows(child), ['Child case: until the 25th birthday, or 6 years after closure if later', 'This case may be disposed of from 1 June 2040'])

    const openPage = await lead.get(`/concerns/${open}/reviews`)
    assert.deepEqual(retentionRows(openPage), ['Adult case: 6 years after closure', 'Retention starts when the case is closed'])

    // The organisation's own settings are used.
    await app.database.db.insertInto('retention_setting').values({ organisation_id: org.id, adult_years_after_closure: 10, child_until_age: 25, child_years_after_closure: 6, updated_at: app.clock.now() }).execute()
    try {
      assert.deepEqual(retentionRows(await lead.get(`/concerns/${closedAdult}/reviews`)), ['Adult case: 10 years after closure', 'This case may be disposed of from 3 March 2036'])
    } finally {
      await app.database.db.deleteFrom('retention_setting').where('organisation_id', '=', org.id).execute()
    }
  })

  it('offers a legal hold only to managers and Senior Lead Officers; a DSO gets 403 and nothing is saved', async () => {
    const lead = await app.signedIn(team.lead)
    const tab = await lead.get(`/concerns/${closedAdult}/reviews`)
    assert.equal(tab.$(`a[href="/concerns/${closedAdult}/legal-hold"]`).length, 0)
    assert.equal((await lead.get(`/concerns/${closedAdult}/legal-hold`)).status, 403)
    assert.equal((await lead.post(`/concerns/${closedAdult}/legal-hold`, { reason: REASON })).status, 403)
    assert.deepEqual(await holds(closedAdult), [])

    const manager = await app.signedIn(team.manager)
    const managerTab = await manager.get(`/concerns/${closedAdult}/reviews`)
    assert.equal(managerTab.$(`a[href="/concerns/${closedAdult}/legal-hold"]`).text().trim(), 'Place a legal hold')
  })

  it('needs a reason of at most 2,000 characters', async () => {
    const manager = await app.signedIn(team.manager)
    const form = await manager.get(`/concerns/${closedAdult}/legal-hold`)
    assert.equal(form.status, 200)
    assert.equal(headingText(form), 'Place a legal hold')
    const empty = await manager.post(`/concerns/${closedAdult}/legal-hold`, { reason: '  ' })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorSummary(empty), ['Enter why the case must be kept'])
    assert.equal(empty.$('.govuk-error-summary__list a').attr('href'), '#reason')
    const long = await manager.post(`/concerns/${closedAdult}/legal-hold`, { reason: 'x'.repeat(2001) })
    assert.equal(long.status, 400)
    assert.deepEqual(errorSummary(long), ['The reason must be 2,000 characters or less'])
    assert.equal(long.$('#reason').text(), 'x'.repeat(2001), 'what was typed is kept')
    assert.deepEqual(await holds(closedAdult), [])
  })

  it('lets a manager place a hold, audited, and shows it on the tab; a second hold is refused', async () => {
    const manager = await app.signedIn(team.manager)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const placed = await place(manager, closedAdult, `${REASON}\r\nRef: WM/2026/17`)
    assert.deepEqual(errorSummary(placed), [])
    assert.equal(placed.status, 303)
    assert.equal(placed.location, `/concerns/${closedAdult}/reviews`)
    const rows = await holds(closedAdult)
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.reason, `${REASON}\nRef: WM/2026/17`, 'kept exactly as typed, with the line break as \\n')
    assert.equal(rows[0]!.placed_by, team.manager.id)
    assert.equal(rows[0]!.lifted_at, null)
    const audited = (await auditRowsAfter(app.database.db, org.id, seq)).filter((r) => r.action === 'concern.legal-hold')
    assert.equal(audited.length, 1)
    assert.equal(audited[0]!.record_type, 'concern')
    assert.equal(audited[0]!.record_id, closedAdult)
    assert.equal(audited[0]!.actor_user_id, team.manager.id)
    assert.deepEqual(audited[0]!.details, { legal_hold_id: rows[0]!.id })
    assert.ok(!JSON.stringify(audited[0]!.details).includes('Solicitors'), 'the audit row holds no reason')

    const tab = await manager.follow(placed)
    assert.match(tab.$('.govuk-notification-banner').text(), /The legal hold is in place/)
    const warning = tab.$('.govuk-warning-text__text').text().replace(/\s+/g, ' ')
    assert.match(warning, /Legal hold: Solicitors for the family wrote on 2 March 2026 about a claim: keep the whole record\. Ref: WM\/2026\/17 — placed by Morgan Manager on 3 March 2026/)
    assert.equal(tab.$(`a[href="/concerns/${closedAdult}/legal-hold/lift"]`).text().trim(), 'Lift the legal hold')
    assert.equal(tab.$(`a[href="/concerns/${closedAdult}/legal-hold"]`).length, 0)
    // The retention date is still shown: the hold keeps the case past it.
    assert.deepEqual(retentionRows(tab), ['Adult case: 6 years after closure', 'This case may be disposed of from 3 March 2032'])

    // A DSO sees the hold, but no link to lift it.
    const lead = await app.signedIn(team.lead)
    const leadTab = await lead.get(`/concerns/${closedAdult}/reviews`)
    assert.match(leadTab.$('.govuk-warning-text__text').text(), /Legal hold: Solicitors/)
    assert.equal(leadTab.$('a[href$="/legal-hold/lift"]').length, 0)

    // A second hold: the form says why not, and a post is refused, changing nothing.
    const slo = await app.signedIn(team.slo)
    const again = await slo.get(`/concerns/${closedAdult}/legal-hold`)
    assert.match(again.text, /This case is already under a legal hold/)
    assert.equal(again.$('form[action$="/legal-hold"]').length, 0)
    const seq2 = await lastAuditSeq(app.database.db, org.id)
    const second = await slo.post(`/concerns/${closedAdult}/legal-hold`, { reason: 'Another reason' })
    assert.equal(second.status, 409)
    assert.match(second.text, /This case is already under a legal hold/)
    assert.equal((await holds(closedAdult)).length, 1)
    assert.deepEqual((await auditRowsAfter(app.database.db, org.id, seq2)).filter((r) => r.action === 'concern.legal-hold'), [])
  })

  it('lifts a hold with a reason; a stale form is refused', async () => {
    const [hold] = await holds(closedAdult)
    assert.ok(hold)
    const slo = await app.signedIn(team.slo)
    const form = await slo.get(`/concerns/${closedAdult}/legal-hold/lift`)
    assert.equal(form.status, 200)
    assert.equal(headingText(form), 'Lift the legal hold')
    assert.equal(form.$('input[name="holdId"]').attr('value'), hold.id)
    assert.match(form.$('.govuk-summary-list').text(), /Solicitors for the family/)

    const empty = await slo.post(`/concerns/${closedAdult}/legal-hold/lift`, { holdId: hold.id, reason: '' })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorSummary(empty), ['Enter why the legal hold can be lifted'])
    assert.equal(empty.$('input[name="holdId"]').attr('value'), hold.id)
    const stale = await slo.post(`/concerns/${closedAdult}/legal-hold/lift`, { holdId: newId(), reason: 'The claim was settled.' })
    assert.equal(stale.status, 409)
    assert.equal((await slo.post(`/concerns/${closedAdult}/legal-hold/lift`, { reason: 'The claim was settled.' })).status, 400, 'no hold named')
    assert.equal((await holds(closedAdult))[0]!.lifted_at, null)

    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${closedAdult}/reviews`)
    assert.equal((await lead.post(`/concerns/${closedAdult}/legal-hold/lift`, { holdId: hold.id, reason: 'The claim was settled.' })).status, 403, 'a DSO cannot lift it')
    assert.equal((await holds(closedAdult))[0]!.lifted_at, null)

    const seq = await lastAuditSeq(app.database.db, org.id)
    await slo.get(`/concerns/${closedAdult}/legal-hold/lift`)
    const lifted = await slo.post(`/concerns/${closedAdult}/legal-hold/lift`, { holdId: hold.id, reason: 'The claim was settled.' })
    assert.equal(lifted.status, 303)
    const row = (await holds(closedAdult))[0]!
    assert.equal(row.lift_reason, 'The claim was settled.')
    assert.equal(row.lifted_by, team.slo.id)
    assert.ok(row.lifted_at)
    const audited = (await auditRowsAfter(app.database.db, org.id, seq)).filter((r) => r.action === 'concern.legal-hold-lift')
    assert.deepEqual(audited.map((r) => r.details), [{ legal_hold_id: hold.id }])

    const tab = await slo.follow(lifted)
    assert.match(tab.$('.govuk-notification-banner').text(), /The legal hold has been lifted/)
    assert.equal(tab.$('.govuk-warning-text').length, 0)
    assert.equal(tab.$(`a[href="/concerns/${closedAdult}/legal-hold"]`).text().trim(), 'Place a legal hold')

    // Lifting again: the page says there is none, and the old form is refused.
    assert.match((await slo.get(`/concerns/${closedAdult}/legal-hold/lift`)).text, /This case is not under a legal hold/)
    assert.equal((await slo.post(`/concerns/${closedAdult}/legal-hold/lift`, { holdId: hold.id, reason: 'Again.' })).status, 409)

    // A new hold can be placed after the old one was lifted (by a Senior Lead Officer this time).
    assert.equal((await place(slo, closedAdult, 'A complaint to the Ombudsman.')).status, 303)
    assert.equal((await holds(closedAdult)).filter((h) => h.lifted_at === null).length, 1)
  })

  it('answers 404 for a restricted case the manager is not named on, saving nothing', async () => {
    const other = await app.signedIn(managerTwo)
    await other.get('/')
    for (const path of [`/concerns/${restricted}/legal-hold`, `/concerns/${restricted}/legal-hold/lift`]) {
      assert.equal((await other.get(path)).status, 404, path)
    }
    assert.equal((await other.post(`/concerns/${restricted}/legal-hold`, { reason: REASON })).status, 404)
    assert.equal((await other.post(`/concerns/${restricted}/legal-hold`, { reason: '' })).status, 404, 'not even the form errors')
    assert.equal((await other.post(`/concerns/${restricted}/legal-hold/lift`, { holdId: newId(), reason: 'x' })).status, 404)
    assert.deepEqual(await holds(restricted), [])
    assert.equal((await other.get(`/concerns/${newId()}/legal-hold`)).status, 404, 'a case that does not exist looks the same')

    // The named manager can hold it.
    const manager = await app.signedIn(team.manager)
    assert.equal((await place(manager, restricted, REASON)).status, 303)
    assert.equal((await holds(restricted)).length, 1)
  })
})
