import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, type Page, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { countRows } from '../../../../test/helpers/records.js'

function closureRows(page: Page): string[][] {
  return page
    .$('tbody tr')
    .map((_, tr) => [page.$(tr).find('td').slice(0, 2).map((__, td) => page.$(td).text().trim()).get()])
    .get() as string[][]
}

describe('closure days (reference data)', () => {
  let app: TestApp
  let org: TestOrganisation
  let admin: TestUser
  let referrer: TestUser
  let waitingId: string
  let addressedId: string

  async function dueAt(id: string): Promise<string> {
    const row = await app.database.db.selectFrom('concern').select('due_at').where('id', '=', id).executeTakeFirstOrThrow()
    return row.due_at.toISOString()
  }

  before(async () => {
    // Thursday 22 December 2022: with the Christmas bank holidays, due by the end of Wednesday 28th.
    app = await startTestApp({ now: '2022-12-22T10:00:00Z' })
    org = await app.factories.organisation()
    admin = await app.factories.user(org, ['admin'])
    referrer = await app.factories.user(org)
    waitingId = (await app.factories.concern(referrer, { personName: 'Waiting Person' })).id
    addressedId = (await app.factories.concern(referrer, { personName: 'Addressed Person' })).id
    await app.database.db.updateTable('concern').set({ status: 'open', addressed_at: new Date('2022-12-22T15:00:00Z') }).where('id', '=', addressedId).execute()
    app.clock.set('2022-12-23T09:00:00Z')
  })
  after(() => app.stop())

  async function adminClient(): Promise<TestClient> {
    const client = await app.signedIn(admin)
    assert.equal((await client.get('/admin/closure-days')).status, 200)
    return client
  }

  it('adds a closure day and moves the deadlines of concerns still waiting, not of addressed ones', async () => {
    assert.equal(await dueAt(waitingId), '2022-12-28T23:59:59.999Z')
    const client = await adminClient()
    const added = await client.post('/admin/closure-days', { 'date-day': '28', 'date-month': '12', 'date-year': '2022', reason: 'Council closed between Christmas and New Year' })
    assert.equal(added.status, 303)
    const page = await client.get('/admin/closure-days')
    assert.match(page.$('.govuk-notification-banner').text(), /Deadlines of concerns still waiting have been recalculated/)
    assert.deepEqual(closureRows(page), [['28 December 2022', 'Council closed between Christmas and New Year']])

    assert.equal(await dueAt(waitingId), '2022-12-29T23:59:59.999Z', 'now due at the end of Thursday 29th')
    assert.equal(await dueAt(addressedId), '2022-12-28T23:59:59.999Z', 'an addressed concern keeps the deadline it was judged against')

    const dso = await app.factories.user(org, ['dso'])
    const queue = await (await app.signedIn(dso)).get('/queue')
    assert.match(queue.$('tbody tr').text().replace(/\s+/g, ' '), /End of 29 December 2022 1 working day left/)

    const audit = await app.database.db.selectFrom('audit_event').select(['action', 'details']).where('action', '=', 'reference.closure-day.create').execute()
    assert.deepEqual(audit, [{ action: 'reference.closure-day.create', details: { date: '2022-12-28', deadlines_moved: [waitingId] } }])
  })

  it('removes a closure day and puts the deadlines back', async () => {
    const client = await adminClient()
    const removed = await client.post('/admin/closure-days/remove', { date: '2022-12-28' })
    assert.equal(removed.status, 303)
    const page = await client.get('/admin/closure-days')
    assert.deepEqual(closureRows(page), [])
    assert.match(page.text, /No closure days yet/)
    assert.equal(await dueAt(waitingId), '2022-12-28T23:59:59.999Z')
    const audit = await app.database.db.selectFrom('audit_event').select(['details']).where('action', '=', 'reference.closure-day.delete').execute()
    assert.deepEqual(audit, [{ details: { date: '2022-12-28', deadlines_moved: [waitingId] } }])
  })

  it('refuses mistakes with their messages and adds nothing', async () => {
    const client = await adminClient()
    await client.post('/admin/closure-days', { 'date-day': '30', 'date-month': '12', 'date-year': '2022', reason: 'Already there' })
    const before = await countRows(app.database.db, 'closure_day')
    const cases: [Record<string, string>, string[]][] = [
      [{ reason: 'No date' }, ['Enter the closure date']],
      [{ 'date-day': '31', 'date-month': '2', 'date-year': '2023', reason: 'Impossible' }, ['The closure date must be a real date']],
      [{ 'date-day': '3', 'date-month': '', 'date-year': '2023', reason: 'Partial' }, ['The closure date must include a month']],
      [{ 'date-day': '3', 'date-month': '1', 'date-year': '2023', reason: '  ' }, ['Enter the reason for the closure']],
      [{ 'date-day': '3', 'date-month': '1', 'date-year': '2023', reason: 'R'.repeat(201) }, ['Reason must be 200 characters or less']],
      [{ 'date-day': '30', 'date-month': '12', 'date-year': '2022', reason: 'Twice' }, ['That date is already a closure day']],
      [{ 'date-day': '1', 'date-month': '1', 'date-year': '2019', reason: 'Long ago' }, ['The closure date must be after 21 December 2020']],
    ]
    for (const [form, errors] of cases) {
      const page = await client.post('/admin/closure-days', form)
      assert.equal(page.status, 400, JSON.stringify(form))
      assert.deepEqual(errorSummary(page), errors, JSON.stringify(form))
      assert.equal(page.$('#reason').attr('value') ?? '', form.reason ?? '', 'the reason typed is kept')
    }
    assert.equal(await countRows(app.database.db, 'closure_day'), before)
    const removeNothing = await client.post('/admin/closure-days/remove', { date: 'yesterday' })
    assert.equal(removeNothing.status, 400)
    assert.equal(await countRows(app.database.db, 'closure_day'), before)
  })

  it('keeps each organisation’s closure days to itself', async () => {
    const elsewhere = await app.factories.organisation('Elsewhere Council')
    const theirAdmin = await app.factories.user(elsewhere, ['admin'])
    const theirs = await (await app.signedIn(theirAdmin)).get('/admin/closure-days')
    assert.deepEqual(closureRows(theirs), [])
    const client = await app.signedIn(theirAdmin)
    await client.get('/admin/closure-days')
    await client.post('/admin/closure-days/remove', { date: '2022-12-30' })
    const ours = await (await adminClient()).get('/admin/closure-days')
    assert.deepEqual(closureRows(ours), [['30 December 2022', 'Already there']], 'another organisation cannot remove ours')
  })
})
