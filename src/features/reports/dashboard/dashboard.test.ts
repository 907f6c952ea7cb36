import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, type TestClient } from '../../../../test/helpers/client.js'
import { engineName } from '../../../../test/helpers/database.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { makeConcern } from '../../../../test/helpers/report-fixtures.js'

function cellText(page: { $: import('cheerio').CheerioAPI }, tableId: string, rowLabel: string, column = 0): string {
  const row = page.$(`#table-${tableId} tbody tr`).filter((_, tr) => page.$(tr).find('th').text().trim() === rowLabel)
  assert.equal(row.length, 1, `row "${rowLabel}" in ${tableId}`)
  return row.find('td').eq(column).text().replace(/\s+/g, ' ').trim().split(' cases:')[0]!
}

describe(`reports: the KPI dashboard (${engineName})`, () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let manager: TestUser
  let auditor: TestUser
  let managerClient: TestClient
  let restrictedId: string

  before(async () => {
    app = await startTestApp({ now: '2023-06-30T12:00:00Z' })
    org = await app.factories.organisation()
    referrer = await app.factories.user(org, [])
    manager = await app.factories.user(org, ['safeguarding_manager'])
    auditor = await app.factories.user(org, ['auditor'])
    const db = app.database.db
    const [housing, customer] = org.services.map((s) => s.id) as [string, string]
    // 2022-23: three concerns, two addressed in time with onward referrals; 2021-22: one.
    await makeConcern(db, app.factories, referrer, { receivedAt: '2022-05-09T10:00:00+01:00', serviceId: housing, addressedAt: '2022-05-10T10:00:00+01:00', decision: 'onward_referral', referrals: [{ agency: 'Adult Social Care', madeAt: '2022-05-10T10:30:00+01:00' }] })
    await makeConcern(db, app.factories, referrer, { receivedAt: '2022-11-14T10:00:00Z', serviceId: customer, atRisk: 'child', dateOfBirth: '2015-01-01', types: ['child:Neglect'], addressedAt: '2022-11-15T10:00:00Z', decision: 'onward_referral' })
    await makeConcern(db, app.factories, referrer, { receivedAt: '2023-02-01T10:00:00Z', serviceId: housing, addressedAt: '2023-02-01T12:00:00Z', decision: 'advice_and_guidance' })
    await makeConcern(db, app.factories, referrer, { receivedAt: '2021-06-01T10:00:00+01:00', serviceId: housing, addressedAt: '2021-06-01T12:00:00+01:00', decision: 'onward_referral' })
    restrictedId = await makeConcern(db, app.factories, referrer, { receivedAt: '2022-08-01T10:00:00+01:00', serviceId: customer, addressedAt: '2022-08-01T12:00:00+01:00', decision: 'no_further_action', restrictedTo: [auditor] })
    managerClient = await app.signedIn(manager)
  })
  after(() => app.stop())

  it('shows the chosen financial year beside the year before, each figure linked to its cases', async () => {
    const page = await managerClient.get('/reports?year=2022')
    assert.equal(page.status, 200)
    assert.match(page.$('h2').first().text(), /2022-23 \(1 April 2022 to 31 March 2023\)/)
    const headers = page.$('#table-headline thead th').map((_, th) => page.$(th).text().trim()).get()
    assert.deepEqual(headers, ['Indicator', '2022-23', '2021-22'])
    assert.equal(cellText(page, 'headline', 'Concerns received'), '3')
    assert.equal(cellText(page, 'headline', 'Concerns received', 1), '1')
    assert.equal(cellText(page, 'headline', 'Addressed within the target of two working days'), '100% (3 of 3)')
    assert.equal(cellText(page, 'headline', 'Resulting in an onward referral'), '67% (2 of 3)')
    assert.equal(cellText(page, 'headline', 'Referring services'), '2')
    const link = page.$('#table-headline a').first().attr('href')
    assert.equal(link, '/reports/cases?measure=received&from=2022-04-01&to=2023-03-31')
    // Breakdown tables, with their totals.
    assert.equal(cellText(page, 'service', 'Housing Management'), '2')
    assert.equal(cellText(page, 'service', 'Leisure Services'), '0', 'services with no referrals are listed too')
    assert.equal(cellText(page, 'at_risk', 'Child'), '1')
    assert.equal(cellText(page, 'decision', 'Onward referral'), '2')
    assert.equal(cellText(page, 'agency', 'Adult Social Care'), '1')
    assert.equal(cellText(page, 'age', 'All concerns'), '3')
  })

  it('counts the restricted case only for someone named on it', async () => {
    const forAuditor = await (await app.signedIn(auditor)).get('/reports?year=2022')
    assert.equal(cellText(forAuditor, 'headline', 'Concerns received'), '4')
    const forManager = await managerClient.get('/reports?year=2022')
    assert.equal(cellText(forManager, 'headline', 'Concerns received'), '3')
    assert.ok(!forManager.text.includes(restrictedId))
  })

  it('switches to a quarter or custom dates, comparing with the same dates a year earlier', async () => {
    const q3 = await managerClient.get('/reports?year=2022&quarter=3')
    assert.equal(q3.status, 200)
    assert.match(q3.text, /Q3 2022-23 \(October to December 2022\)/)
    assert.equal(cellText(q3, 'headline', 'Concerns received'), '1')
    const custom = await managerClient.get('/reports?from-day=1&from-month=5&from-year=2022&to-day=31&to-month=5&to-year=2022')
    assert.equal(custom.status, 200)
    assert.deepEqual(custom.$('#table-headline thead th').map((_, th) => custom.$(th).text().trim()).get(), ['Indicator', '1 May 2022 to 31 May 2022', '1 May 2021 to 31 May 2021'])
    assert.equal(cellText(custom, 'headline', 'Concerns received'), '1')
  })

  it('draws accessible charts with the same numbers in a table', async () => {
    const page = await managerClient.get('/reports?year=2022')
    const svg = page.$('svg.kestrel-chart').first()
    assert.equal(svg.attr('role'), 'img')
    assert.match(svg.find('title').text(), /Concerns received each month/)
    assert.match(svg.find('desc').text(), /3 in 2022-23 against 1 in 2021-22/)
    assert.equal(svg.attr('style'), undefined, 'no inline styles: the CSP forbids them')
    assert.equal(cellText(page, 'received-by-month-table', 'May'), '1')
    assert.equal(cellText(page, 'received-by-month-table', 'Nov'), '1')
  })

  it('refuses bad period parameters with the error summary and status 400, never a crash', async () => {
    for (const [query, message] of [
      ['year=20x2', /Choose a financial year/],
      ['year=1999', /Choose a financial year/],
      ['year=2099', /Choose a financial year/],
      ['year=2022&quarter=5', /Choose the whole year or a quarter/],
      ['year=2022&year=2021', /Choose one value/],
      ['from-day=31&from-month=2&from-year=2022&to-day=1&to-month=3&to-year=2022', /The start date must be a real date/],
      ['from-day=1&from-month=3&from-year=2022&to-day=1&to-month=2&to-year=2022', /The end date must be the same as or after the start date/],
      ['from-day=1&from-month=3&from-year=2022', /Enter the end date/],
      ['from-day=1&from-month=3&from-year=2001&to-day=1&to-month=3&to-year=2022', /5 years or less/],
    ] as const) {
      const page = await managerClient.get(`/reports?${query}`)
      assert.equal(page.status, 400, query)
      assert.match(errorSummary(page).join(' '), message, query)
      assert.equal(page.$('#table-headline').length, 0)
    }
  })

  it('records each view in the audit log with the period, not the figures', async () => {
    await managerClient.get('/reports?year=2021')
    const row = await app.database.db.selectFrom('audit_event').select(['action', 'details']).where('actor_user_id', '=', manager.id).where('action', '=', 'report.view').orderBy('seq', 'desc').executeTakeFirstOrThrow()
    assert.deepEqual(row.details, { report: 'dashboard', from: '2021-04-01', to: '2022-03-31' })
  })

  it('offers Reports in the navigation to managers, Senior Lead Officers and auditors only', async () => {
    const home = await managerClient.get('/')
    assert.equal(home.$('.govuk-service-navigation a[href="/reports"]').length, 1)
    const dso = await app.factories.user(org, ['dso'])
    const dsoHome = await (await app.signedIn(dso)).get('/')
    assert.equal(dsoHome.$('.govuk-service-navigation a[href="/reports"]').length, 0)
    assert.equal((await (await app.signedIn(dso)).get('/reports')).status, 403)
  })
})
