import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { ConcernStatus } from '../../../db/schema.js'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { headingText, type Page } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'

function tableRows(page: Page): string[][] {
  return page
    .$('tbody tr')
    .map((_, tr) => [page.$(tr).find('td').map((__, td) => page.$(td).text().trim().replace(/\s+/g, ' ')).get()])
    .get() as string[][]
}

describe('your concerns: the referrer’s own list', () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let colleague: TestUser
  const mine: { id: string; reference: string }[] = []

  before(async () => {
    app = await startTestApp({ now: '2026-03-02T09:00:00Z' })
    org = await app.factories.organisation()
    referrer = await app.factories.user(org, [], { name: 'Sam Referrer' })
    colleague = await app.factories.user(org, [], { name: 'Colleague Referrer' })
    for (const name of ['Alice First', 'Bob Second', 'Carol Third']) {
      mine.push(await app.factories.concern(referrer, { personName: name }))
      app.clock.advanceMinutes(90)
      await app.factories.concern(colleague, { personName: `${name} (colleague’s)` })
      app.clock.advanceMinutes(90)
    }
  })
  after(() => app.stop())

  it('lists only the concerns this person raised, newest first, and audits the list', async () => {
    const client = await app.signedIn(referrer)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const page = await client.get('/my-concerns')
    assert.equal(page.status, 200)
    assert.equal(headingText(page), 'Your concerns')
    const rows = tableRows(page)
    assert.deepEqual(
      rows.map((r) => r[0]),
      [...mine].reverse().map((c) => c.reference),
    )
    assert.deepEqual(
      rows.map((r) => r[1]),
      ['Carol Third', 'Bob Second', 'Alice First'],
    )
    assert.equal(rows[0]![2], '2 March 2026')
    assert.doesNotMatch(page.text, /colleague’s/)
    assert.equal(page.headers.get('cache-control'), 'no-store')

    const audit = (await auditRowsAfter(app.database.db, org.id, seq)).filter((r) => r.action === 'concern.list-own')
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.actor_user_id, referrer.id)
    assert.deepEqual((audit[0]!.details as { record_ids: string[] }).record_ids, [...mine].reverse().map((c) => c.id))
  })

  it('says so when the person has raised nothing', async () => {
    const newcomer = await app.factories.user(org)
    const client = await app.signedIn(newcomer)
    const page = await client.get('/my-concerns')
    assert.equal(tableRows(page).length, 0)
    assert.match(page.text, /You have not raised any concerns\./)
  })

  it('shows a plain status for every workflow state', async () => {
    const expected: Record<ConcernStatus, string> = {
      submitted: 'Received',
      allocated: 'Being looked at',
      open: 'Addressed',
      closure_requested: 'Addressed',
      closed: 'Closed',
    }
    const person = await app.factories.user(org)
    const ids = new Map<ConcernStatus, string>()
    for (const status of Object.keys(expected) as ConcernStatus[]) {
      const { id } = await app.factories.concern(person, { personName: `Status ${status}` })
      await app.database.db
        .updateTable('concern')
        .set({ status, addressed_at: status === 'submitted' || status === 'allocated' ? null : app.clock.now() })
        .where('id', '=', id)
        .execute()
      ids.set(status, id)
      app.clock.advanceMinutes(1)
    }
    const client = await app.signedIn(person)
    const page = await client.get('/my-concerns')
    const statuses = new Map(tableRows(page).map((r) => [r[1], r[3]]))
    for (const [status, text] of Object.entries(expected)) {
      assert.equal(statuses.get(`Status ${status}`), text, `list status for ${status}`)
      const detail = await client.get(`/my-concerns/${ids.get(status as ConcernStatus)}`)
      assert.equal(detail.$('.govuk-summary-list').first().find('.govuk-tag').text().trim(), text, `detail status for ${status}`)
    }
    assert.doesNotMatch(page.text, /Allocated|Closure requested|>Open</, 'internal workflow words never reach the referrer')
  })

  it('never shows the safeguarding team’s decision, rationale or notes', async () => {
    const person = await app.factories.user(org)
    const { id } = await app.factories.concern(person, { personName: 'Decided Person' })
    await app.database.db
      .updateTable('concern')
      .set({
        status: 'closed',
        addressed_at: app.clock.now(),
        closed_at: app.clock.now(),
        decision: 'no_further_action',
        decision_rationale: 'RATIONALE-SENTINEL the family is known to Children’s Services',
        risk_level: 'high',
        delay_reason: 'DELAY-SENTINEL',
        closing_summary: 'CLOSING-SENTINEL summary for the file',
        second_agreement_note: 'SECOND-SENTINEL',
        source_of_risk: 'SOURCE-SENTINEL',
      })
      .where('id', '=', id)
      .execute()
    const client = await app.signedIn(person)
    for (const path of ['/my-concerns', `/my-concerns/${id}`, `/concerns/${id}/confirmation`]) {
      const page = await client.get(path)
      assert.equal(page.status, 200, path)
      assert.doesNotMatch(page.text, /SENTINEL/, `${path} leaks case detail`)
      assert.doesNotMatch(page.text, /no further action|No further action|no_further_action/i, `${path} leaks the decision`)
      assert.doesNotMatch(page.text, /\bhigh\b/i, `${path} leaks the risk level`)
    }
  })

  it('pages the list fifty at a time', async () => {
    const prolific = await app.factories.user(org)
    for (let i = 1; i <= 51; i++) {
      await app.factories.concern(prolific, { personName: `Paged ${String(i).padStart(2, '0')}` })
      app.clock.advance(1000)
    }
    const client = await app.signedIn(prolific)
    const first = await client.get('/my-concerns')
    assert.equal(tableRows(first).length, 50)
    assert.equal(tableRows(first)[0]![1], 'Paged 51')
    assert.equal(first.$('.govuk-pagination__next a').attr('href'), '/my-concerns?page=2')
    const second = await client.get('/my-concerns?page=2')
    assert.deepEqual(
      tableRows(second).map((r) => r[1]),
      ['Paged 01'],
    )
    assert.equal((await client.get('/my-concerns?page=0')).status, 400)
    assert.equal((await client.get('/my-concerns?page=abc')).status, 400)
  })
})
