import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { startTestApp, TEST_CHAIN_KEY, type TestApp } from '../../../test/helpers/app.js'
import { DEMO_PASSWORD } from './demo-plan.js'
import { demoAccounts, seedDemo } from './demo.js'

const NOW = new Date('2026-03-09T10:15:00Z')

/** The demo's case record (issue 4): consistent with the rules the app enforces. */
describe('the demo council: case record, weekly reviews and closures', () => {
  let app: TestApp
  const db = () => app.database.db

  before(async () => {
    app = await startTestApp({ now: NOW })
    await seedDemo(app.database.db, NOW, TEST_CHAIN_KEY)
  })
  after(() => app.stop())

  it('holds a weekly meeting every week of the past years, each with its reviews recorded', async () => {
    const meetings = await db().selectFrom('review_meeting').select(['meeting_date', 'completed_at']).orderBy('meeting_date').execute()
    assert.ok(meetings.length > 200, `${meetings.length} meetings`)
    assert.ok(meetings[0]!.meeting_date < '2021-05-01')
    assert.ok(meetings.at(-1)!.meeting_date < '2026-03-09' && meetings.at(-1)!.meeting_date >= '2026-03-02', 'the last one was last week')
    assert.ok(meetings.every((m) => m.completed_at), 'past meetings are finished')
    const unrecorded = await db().selectFrom('review_item').select((eb) => eb.fn.countAll<number>().as('n')).where('outcome', 'is', null).executeTakeFirstOrThrow()
    assert.equal(Number(unrecorded.n), 0)
    const kinds = await db().selectFrom('review_item').select(['kind', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('kind').execute()
    assert.deepEqual(kinds.map((k) => k.kind).sort(), ['final_review', 'first_review', 'progress_check'])
  })

  it('closed every closed case properly: agreed Final Review after it was marked ready, request by the Lead DSO, approval by the Senior Lead Officer', async () => {
    const problems = await sql<{ reference: string; problem: string }>`
      SELECT c.reference, 'no agreed final review' AS problem FROM concern c
        WHERE c.status = 'closed' AND NOT EXISTS (
          SELECT 1 FROM review_item i WHERE i.concern_id = c.id AND i.kind = 'final_review' AND i.outcome = 'agreed'
            AND i.recorded_at >= c.ready_for_closure_at AND i.recorded_at <= c.closure_requested_at)
      UNION ALL SELECT c.reference, 'not approved by the Senior Lead Officer' FROM concern c
        WHERE c.status = 'closed' AND NOT EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = c.closure_approved_by AND r.role = 'senior_lead_officer')
      UNION ALL SELECT c.reference, 'request not by the Lead DSO' FROM concern c WHERE c.status = 'closed' AND c.closure_requested_by IS DISTINCT FROM c.lead_dso_id
      UNION ALL SELECT c.reference, 'open task at closure' FROM concern c JOIN case_task t ON t.concern_id = c.id
        WHERE c.status = 'closed' AND (t.completed_at IS NULL OR t.completed_at > c.closed_at)
      UNION ALL SELECT c.reference, 'approval before the request' FROM concern c WHERE c.status = 'closed' AND c.closed_at <= c.closure_requested_at
    `.execute(db())
    assert.deepEqual(problems.rows, [])
    const closed = await db().selectFrom('concern').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'closed').executeTakeFirstOrThrow()
    assert.ok(Number(closed.n) > 500)
  })

  it('records the Safeguarding Adults Collection outcomes for closed adult cases', async () => {
    const adults = await db().selectFrom('concern').select(['sac_outcome', 'msp_asked', 'msp_achieved']).where('status', '=', 'closed').where('at_risk', '=', 'adult').execute()
    assert.ok(adults.length > 300)
    assert.ok(adults.every((a) => a.sac_outcome && a.msp_asked), 'every closed adult case has its SAC outcome and MSP answer')
    assert.ok(adults.every((a) => (a.msp_asked === 'asked_expressed') === (a.msp_achieved !== null)))
    assert.ok(new Set(adults.map((a) => a.sac_outcome)).size >= 5)
  })

  it('links repeat concerns about the same person in the person index', async () => {
    const repeats = await db()
      .selectFrom('concern_person')
      .select(['person_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('person_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute()
    assert.ok(repeats.length >= 10, `${repeats.length} people with repeat concerns`)
  })

  it('has current cases with tasks (some overdue), notes and documents, some waiting for a Final Review or approval, and one restricted case', async () => {
    const open = await db().selectFrom('concern').select('id').where('status', '=', 'open').execute()
    const ids = open.map((o) => o.id)
    const overdue = await db().selectFrom('case_task').select('id').where('concern_id', 'in', ids).where('completed_at', 'is', null).where('due_on', '<', '2026-03-09').execute()
    assert.ok(overdue.length > 0)
    assert.ok((await db().selectFrom('case_note').select('id').where('concern_id', 'in', ids).execute()).length >= ids.length)
    assert.ok((await db().selectFrom('case_document').select('id').where('concern_id', 'in', ids).execute()).length >= ids.length)
    const waiting = await db().selectFrom('concern').select('id').where('status', '=', 'closure_requested').execute()
    assert.equal(waiting.length, 2)
    const ready = await db().selectFrom('concern').select('id').where('status', '=', 'open').where('ready_for_closure_at', 'is not', null).execute()
    assert.equal(ready.length, 3)
    const restricted = await db().selectFrom('concern').select('id').where('restricted', '=', true).execute()
    assert.equal(restricted.length, 1)
  })

  it('shows the demo accounts their work: Senior Lead Officer’s closure queue, the manager’s next agenda, the auditor kept out of the restricted case', async () => {
    const accounts = demoAccounts().accounts
    const signIn = async (role: string) => {
      const client = app.client()
      await client.get('/sign-in')
      await client.post('/sign-in', { email: accounts.find((a) => a.role === role)!.email, password: DEMO_PASSWORD })
      return client
    }
    const slo = await signIn('Senior Lead Officer')
    assert.equal((await slo.get('/closures')).$('tbody tr').length, 2)
    const manager = await signIn('Safeguarding manager (and DSO)')
    const form = await manager.get('/reviews/new')
    const created = await manager.post('/reviews/new', { 'date-day': '10', 'date-month': '3', 'date-year': '2026', attendeeIds: form.$('input[name="attendeeIds"]:checked').map((_, el) => form.$(el).attr('value')!).get(), submissionKey: form.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(created.status, 303)
    const agenda = await manager.get(created.location!)
    const finals = agenda.$('h2').filter((_, el) => agenda.$(el).text().startsWith('Final Reviews')).text()
    assert.match(finals, /Final Reviews \(3\)/)
    const restrictedId = (await db().selectFrom('concern').select('id').where('restricted', '=', true).executeTakeFirstOrThrow()).id
    assert.equal((await manager.get(`/concerns/${restrictedId}`)).status, 200)
    const auditor = await signIn('Auditor')
    assert.equal((await auditor.get(`/concerns/${restrictedId}`)).status, 404)
  })
})
