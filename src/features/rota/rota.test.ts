import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../test/helpers/app.js'
import { errorSummary } from '../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../test/helpers/factories.js'
import { putOnDuty } from '../../../test/helpers/triage.js'

describe('the duty rota', () => {
  let app: TestApp
  let org: TestOrganisation
  let manager: TestUser
  let staff: TestUser
  let dsos: TestUser[]

  before(async () => {
    // Monday 2 March 2026.
    app = await startTestApp({ now: '2026-03-02T09:00:00Z' })
    org = await app.factories.organisation()
    manager = await app.factories.user(org, ['safeguarding_manager'], { name: 'Morgan Manager' })
    staff = await app.factories.user(org, [], { name: 'Sam Staff' })
    dsos = [await app.factories.user(org, ['dso'], { name: 'Ann One' }), await app.factories.user(org, ['dso'], { name: 'Ben Two' }), await app.factories.user(org, ['dso'], { name: 'Cat Three' })]
  })
  after(() => app.stop())

  it('everyone sees who is on duty today; only a manager sees edit links and empty days flagged', async () => {
    await putOnDuty(app, org.id, [dsos[0]!])
    const client = await app.signedIn(staff)
    const page = await client.get('/rota')
    assert.equal(page.status, 200)
    assert.match(page.$('.govuk-body-l').text(), /On duty today: Ann One/)
    assert.equal(page.$('a:contains("Change")').length, 0)
    assert.equal((await client.get('/rota/days/2026-03-03')).status, 403)
    const home = await client.get('/')
    assert.match(home.text, /On duty today[\s\S]*Ann One/)

    const mgr = await app.signedIn(manager)
    const managerView = await mgr.get('/rota?month=2026-03')
    assert.match(managerView.text, /working days in March 2026 have nobody on duty/)
    assert.ok(managerView.$('a[href="/rota/days/2026-03-03"]').length === 1)
    // Weekends and bank holidays cannot be edited.
    assert.equal((await mgr.get('/rota/days/2026-03-07')).status, 404)
    assert.equal((await client.get('/rota?month=2026-13')).status, 400)
  })

  it('a manager sets a day; a stale form gets the conflict page; bad input is refused', async () => {
    const mgr = await app.signedIn(manager)
    const form = await mgr.get('/rota/days/2026-03-04')
    const version = form.$('input[name="version"]').attr('value')!
    const empty = await mgr.post('/rota/days/2026-03-04', { version })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorSummary(empty), ['Select at least one DSO to be on duty'])
    const ok = await mgr.post('/rota/days/2026-03-04', { version, userIds: [dsos[1]!.id, dsos[2]!.id] })
    assert.equal(ok.status, 303)
    const stale = await mgr.post('/rota/days/2026-03-04', { version, userIds: [dsos[0]!.id] })
    assert.equal(stale.status, 409)
    const rows = await app.database.db.selectFrom('rota_duty').select('user_id').where('duty_date', '=', '2026-03-04').execute()
    assert.deepEqual(rows.map((r) => r.user_id).sort(), [dsos[1]!.id, dsos[2]!.id].sort())
    assert.ok(await app.database.db.selectFrom('audit_event').select('id').where('action', '=', 'rota.day.set').executeTakeFirst())
  })

  it('records leave and fills the month fairly around it, skipping bank holidays and set days', async () => {
    const mgr = await app.signedIn(manager)
    const page = await mgr.get('/rota/absences')
    const key = page.$('input[name="submissionKey"]').attr('value')!
    const bad = await mgr.post('/rota/absences', { submissionKey: key, userId: dsos[0]!.id, 'from-day': '10', 'from-month': '3', 'from-year': '2026', 'to-day': '9', 'to-month': '3', 'to-year': '2026', kind: 'leave' })
    assert.deepEqual(errorSummary(bad), ['The last day must be the same as or after the first day'])
    const leave = { submissionKey: key, userId: dsos[0]!.id, 'from-day': '9', 'from-month': '3', 'from-year': '2026', 'to-day': '13', 'to-month': '3', 'to-year': '2026', kind: 'leave' }
    assert.equal((await mgr.post('/rota/absences', leave)).status, 303)
    assert.equal((await mgr.post('/rota/absences', leave)).status, 303) // a double submit records one absence
    assert.equal((await app.database.db.selectFrom('dso_absence').select('id').execute()).length, 1)

    await mgr.get('/rota/generate?month=2026-03')
    const generated = await mgr.post('/rota/generate', { month: '2026-03', perDay: '1' })
    assert.equal(generated.status, 303)
    const duties = await app.database.db.selectFrom('rota_duty').select(['duty_date', 'user_id']).where('duty_date', '>=', '2026-03-01').where('duty_date', '<=', '2026-03-31').orderBy('duty_date').execute()
    const dates = [...new Set(duties.map((d) => d.duty_date))]
    assert.equal(dates.length, 22, 'every working day of March 2026 is covered')
    assert.ok(duties.filter((d) => d.duty_date >= '2026-03-09' && d.duty_date <= '2026-03-13').every((d) => d.user_id !== dsos[0]!.id), 'nobody on leave is on duty')
    assert.deepEqual(duties.filter((d) => d.duty_date === '2026-03-04').map((d) => d.user_id).sort(), [dsos[1]!.id, dsos[2]!.id].sort(), 'a day set by hand is kept')
    const view = await mgr.get('/rota?month=2026-03')
    assert.doesNotMatch(view.text, /nobody on duty/)
  })
})
