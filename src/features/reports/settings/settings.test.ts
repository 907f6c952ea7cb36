import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, type TestClient } from '../../../../test/helpers/client.js'
import { engineName } from '../../../../test/helpers/database.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { makeConcern } from '../../../../test/helpers/report-fixtures.js'

describe(`reports: age band settings (${engineName})`, () => {
  let app: TestApp
  let org: TestOrganisation
  let manager: TestUser
  let client: TestClient

  before(async () => {
    app = await startTestApp({ now: '2023-06-30T12:00:00Z' })
    org = await app.factories.organisation()
    manager = await app.factories.user(org, ['safeguarding_manager'])
    const referrer = await app.factories.user(org, [])
    await makeConcern(app.database.db, app.factories, referrer, { receivedAt: '2022-05-09T10:00:00+01:00', dateOfBirth: '1950-01-01' })
    client = await app.signedIn(manager)
  })
  after(() => app.stop())

  it('starts with the Safeguarding Adults Collection bands and saves new ones, which reports then use', async () => {
    const page = await client.get('/reports/settings')
    assert.equal(page.status, 200)
    assert.equal(page.$('#starts').val(), '0, 5, 10, 16, 18, 65, 75, 85, 95')
    const saved = await client.post('/reports/settings', { starts: '0, 18, 70', totalFrom: '', version: '0' })
    assert.equal(saved.status, 303)
    const scorecard = await client.get('/reports/scorecard?year=2022')
    const labels = scorecard.$('#table-age tbody th').map((_, th) => scorecard.$(th).text().trim()).get()
    assert.deepEqual(labels, ['0 to 17', '18 to 69', '70 and over', 'Age not known', 'All concerns'])
    const audit = await app.database.db.selectFrom('audit_event').select('details').where('action', '=', 'report.settings.update').executeTakeFirstOrThrow()
    assert.deepEqual(audit.details, { fields: ['age_band_starts', 'age_total_from'] })
  })

  it('shows what is wrong and changes nothing', async () => {
    await client.get('/reports/settings')
    const bad = await client.post('/reports/settings', { starts: '0, 16, 65', totalFrom: '', version: '1' })
    assert.equal(bad.status, 400)
    assert.deepEqual(errorSummary(bad), ['One band must start at 18, so that no band mixes children and adults'])
    assert.equal(bad.$('#starts').val(), '0, 16, 65', 'what was typed is kept')
    const row = await app.database.db.selectFrom('report_settings').select('age_band_starts').where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
    assert.deepEqual(row.age_band_starts, [0, 18, 70])
  })

  it('refuses a save made from a page opened before someone else saved', async () => {
    await client.get('/reports/settings')
    const stale = await client.post('/reports/settings', { starts: '0, 18, 65', totalFrom: '', version: '0' })
    assert.equal(stale.status, 409)
    assert.match(stale.text, /changed since you opened it/)
  })

  it('is for safeguarding managers only', async () => {
    const auditor = await app.factories.user(org, ['auditor'])
    assert.equal((await (await app.signedIn(auditor)).get('/reports/settings')).status, 403)
  })
})
