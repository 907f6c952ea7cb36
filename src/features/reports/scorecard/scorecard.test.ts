import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { readSheet } from 'read-excel-file/node'
import readExcelFile from 'read-excel-file/node'
import { parseCsv } from '../../../formats/csv-reader.js'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import type { Page, TestClient } from '../../../../test/helpers/client.js'
import { engineName } from '../../../../test/helpers/database.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { makeConcern } from '../../../../test/helpers/report-fixtures.js'

async function download(client: TestClient, path: string) {
  const response = await fetch(new URL(path, client.baseUrl), { headers: { cookie: client.cookieHeader() }, redirect: 'manual' })
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) }
}

function row(page: Page, tableId: string, label: string): string[] {
  const tr = page.$(`#table-${tableId} tbody tr`).filter((_, el) => page.$(el).find('th').text().trim() === label)
  assert.equal(tr.length, 1, `${label} in ${tableId}`)
  return tr.find('td').map((_, td) => page.$(td).text().replace(/\s+/g, ' ').trim().split(' cases:')[0]!).get()
}

describe(`reports: quarterly scorecard, adults collection tables and trends (${engineName})`, () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let client: TestClient

  before(async () => {
    app = await startTestApp({ now: '2023-06-30T12:00:00Z' })
    org = await app.factories.organisation()
    referrer = await app.factories.user(org, [])
    const manager = await app.factories.user(org, ['safeguarding_manager'])
    const db = app.database.db
    const [housing, customer, leisure] = org.services.map((s) => s.id) as [string, string, string]
    // Q1: housing ×2 (one with two types); Q2: customer; Q3: housing (decided in Q4: 30 Dec → 3 Jan); Q4: leisure, closed as an adult case.
    await makeConcern(db, app.factories, referrer, { receivedAt: '2022-04-11T10:00:00+01:00', serviceId: housing, types: ['adult:Self-Neglect', 'adult:Financial or Material Abuse'], addressedAt: '2022-04-11T15:00:00+01:00', decision: 'onward_referral' })
    await makeConcern(db, app.factories, referrer, { receivedAt: '2022-05-11T10:00:00+01:00', serviceId: housing, dateOfBirth: '1935-01-01', addressedAt: '2022-05-11T15:00:00+01:00', decision: 'onward_referral' })
    await makeConcern(db, app.factories, referrer, { receivedAt: '2022-08-11T10:00:00+01:00', serviceId: customer, atRisk: 'child', dateOfBirth: '2012-01-01', types: ['child:Neglect'], addressedAt: '2022-08-11T15:00:00+01:00', decision: 'advice_and_guidance' })
    await makeConcern(db, app.factories, referrer, { receivedAt: '2022-12-30T10:00:00Z', serviceId: housing, addressedAt: '2023-01-03T10:00:00Z', decision: 'no_further_action' })
    for (let i = 0; i < 3; i++) {
      await makeConcern(db, app.factories, referrer, {
        receivedAt: `2023-02-0${i + 1}T10:00:00Z`,
        serviceId: leisure,
        dateOfBirth: '1930-06-01',
        types: ['adult:Physical Abuse'],
        location: 'Care Home - Residential',
        addressedAt: `2023-02-0${i + 1}T15:00:00Z`,
        decision: 'onward_referral',
        closedAt: '2023-03-10T12:00:00Z',
        sacOutcome: 'risk_identified_action_taken',
        riskOutcome: 'risk_reduced',
        mspAsked: 'asked_expressed',
        mspAchieved: i === 0 ? 'partially' : 'fully',
        sourceOfRisk: 'service_provider',
      })
    }
    client = await app.signedIn(manager)
  })
  after(() => app.stop())

  it('shows Q1–Q4 and the full year, the full year counting each concern and each service once', async () => {
    const page = await client.get('/reports/scorecard?year=2022')
    assert.equal(page.status, 200)
    assert.deepEqual(page.$('#table-headline thead th').map((_, th) => page.$(th).text().trim()).get(), ['Indicator', 'Q1', 'Q2', 'Q3', 'Q4', 'Full year'])
    assert.deepEqual(row(page, 'headline', 'Concerns received'), ['2', '1', '1', '3', '7'])
    // Housing refers in Q1, Q3; customer Q2; leisure Q4: three distinct services in the year, not 1+1+1+1.
    assert.deepEqual(row(page, 'headline', 'Referring services'), ['1', '1', '1', '1', '3'])
    // A concern with two types counts under each, once in the total.
    assert.deepEqual(row(page, 'type', 'Self-Neglect (adult)'), ['2', '0', '1', '0', '3'])
    assert.deepEqual(row(page, 'type', 'All concerns'), ['2', '1', '1', '3', '7'])
    // Decisions on the decision date: the 30 December concern was decided on 3 January (Q4).
    assert.deepEqual(row(page, 'decision', 'No further action'), ['0', '0', '0', '1', '1'])
    assert.deepEqual(row(page, 'outcome', 'Risk identified and action taken'), ['0', '0', '0', '3', '3'])
    // The age bands: SAC bands with an 85 and over total.
    assert.deepEqual(row(page, 'age', '85 to 94'), ['1', '0', '0', '3', '4'])
    assert.deepEqual(row(page, 'age', '85 and over (total)'), ['1', '0', '0', '3', '4'])
    assert.deepEqual(row(page, 'age', '10 to 15'), ['0', '1', '0', '0', '1'])
  })

  it('downloads the scorecard as CSV (one table) and XLSX (every table)', async () => {
    const csv = await download(client, '/reports/scorecard/download?year=2022&table=headline&format=csv')
    assert.equal(csv.status, 200)
    const rows = parseCsv(csv.body.toString('utf8').replace(/^\uFEFF/, ''))
    assert.deepEqual(rows.find((r) => r[0] === 'Indicator'), ['Indicator', 'Q1', 'Q2', 'Q3', 'Q4', 'Full year'])
    assert.deepEqual(rows.find((r) => r[0] === 'Concerns received'), ['Concerns received', '2', '1', '1', '3', '7'])
    const xlsx = await download(client, '/reports/scorecard/download?year=2022&format=xlsx')
    const sheets = await readExcelFile(xlsx.body)
    assert.ok(sheets.length >= 10)
    const first = await readSheet(xlsx.body, 1)
    assert.deepEqual(first.find((r) => r[0] === 'Concerns received'), ['Concerns received', 2, 1, 1, 3, 7])
    assert.equal((await download(client, '/reports/scorecard/download?year=2022&format=csv')).status, 400, 'CSV holds one table')
    assert.equal((await download(client, '/reports/scorecard/download?year=2022&table=nope&format=csv')).status, 400)
  })

  it('gives the adults collection tables, and suppresses counts under 5 when they are to be shared', async () => {
    const internal = await client.get('/reports/adults-collection?year=2022')
    assert.equal(internal.status, 200)
    assert.deepEqual(row(internal, 'sg2a', 'Physical Abuse'), ['3', '100%'])
    assert.deepEqual(row(internal, 'sg2b-location', 'Care Home - Residential'), ['3', '100%'])
    assert.deepEqual(row(internal, 'sg2b-source', 'Service Provider'), ['3', '100%'])
    assert.deepEqual(row(internal, 'sg4-achieved', 'Fully achieved'), ['2', '67%'])
    const shared = await client.get('/reports/adults-collection?year=2022&share=outside')
    assert.deepEqual(row(shared, 'sg2a', 'Physical Abuse'), ['[c]', '[c]'])
    assert.deepEqual(row(shared, 'sg2a', 'Sexual Abuse'), ['0', '0%'], 'zero identifies nobody')
    assert.equal(shared.$('#table-sg2a a').length, 0, 'no links to cases in tables to be shared')
    const csv = await download(client, '/reports/adults-collection/download?year=2022&share=outside&table=sg2a&format=csv')
    const rows = parseCsv(csv.body.toString('utf8').replace(/^\uFEFF/, ''))
    assert.deepEqual(rows.find((r) => r[0] === 'Physical Abuse'), ['Physical Abuse', '[c]', '[c]'])
    assert.equal((await client.get('/reports/adults-collection?year=2022&share=everyone')).status, 400)
  })

  it('draws the trends with tables of the same numbers', async () => {
    const page = await client.get('/reports/trends?year=2022')
    assert.equal(page.status, 200)
    assert.ok(page.$('svg.kestrel-chart[role="img"]').length >= 6)
    for (const svg of page.$('svg.kestrel-chart').toArray()) {
      const id = page.$(svg).attr('aria-labelledby')!.split(' ')
      assert.equal(page.$(svg).find(`#${id[0]}`).prop('tagName')!.toLowerCase(), 'title')
      assert.equal(page.$(svg).find(`#${id[1]}`).prop('tagName')!.toLowerCase(), 'desc')
    }
    assert.deepEqual(row(page, 'received-by-quarter-table', 'Q4 2022-23'), ['3'])
    const csv = await download(client, '/reports/trends/download?year=2022&table=received-by-quarter-table&format=csv')
    const rows = parseCsv(csv.body.toString('utf8').replace(/^\uFEFF/, ''))
    assert.deepEqual(rows.find((r) => r[0] === 'Q4 2022-23'), ['Q4 2022-23', '3'])
    const xlsx = await readExcelFile((await download(client, '/reports/trends/download?year=2022&format=xlsx')).body)
    assert.equal(xlsx.length, 7, 'one sheet per table on the page')
  })
})
