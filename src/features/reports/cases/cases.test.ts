import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { readSheet } from 'read-excel-file/node'
import { newId } from '../../../ids.js'
import { parseCsv } from '../../../formats/csv-reader.js'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import type { TestClient } from '../../../../test/helpers/client.js'
import { engineName } from '../../../../test/helpers/database.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { makeConcern } from '../../../../test/helpers/report-fixtures.js'

async function download(client: TestClient, path: string) {
  const response = await fetch(new URL(path, client.baseUrl), { headers: { cookie: client.cookieHeader() }, redirect: 'manual' })
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), body: Buffer.from(await response.arrayBuffer()) }
}

describe(`reports: the cases behind a figure, and their downloads (${engineName})`, () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let manager: TestUser
  let slo: TestUser
  let client: TestClient
  let formulaService: string
  const refs: Record<string, string> = {}
  const range = 'from=2022-04-01&to=2023-03-31'

  before(async () => {
    app = await startTestApp({ now: '2023-06-30T12:00:00Z' })
    org = await app.factories.organisation()
    referrer = await app.factories.user(org, [])
    manager = await app.factories.user(org, ['safeguarding_manager'])
    slo = await app.factories.user(org, ['senior_lead_officer'])
    const db = app.database.db
    // A service name a spreadsheet would run as a formula, to prove exports neutralise it.
    formulaService = newId()
    await db.insertInto('service').values({ organisation_id: org.id, id: formulaService, name: "=HYPERLINK(\"http://evil.example\",\"Click\")", sort_order: 9 }).execute()
    const reference = async (id: string) => (await db.selectFrom('concern').select('reference').where('id', '=', id).executeTakeFirstOrThrow()).reference
    refs.housing = await reference(await makeConcern(db, app.factories, referrer, { receivedAt: '2022-05-09T10:00:00+01:00', serviceId: org.services[0]!.id, addressedAt: '2022-05-10T10:00:00+01:00', decision: 'onward_referral' }))
    refs.formula = await reference(await makeConcern(db, app.factories, referrer, { receivedAt: '2022-06-09T10:00:00+01:00', serviceId: formulaService, addressedAt: '2022-06-09T12:00:00+01:00', decision: 'advice_and_guidance' }))
    refs.restricted = await reference(await makeConcern(db, app.factories, referrer, { receivedAt: '2022-07-09T10:00:00+01:00', serviceId: org.services[0]!.id, restrictedTo: [slo] }))
    client = await app.signedIn(manager)
  })
  after(() => app.stop())

  it('lists the cases behind a figure, newest first, without restricted cases the viewer may not open', async () => {
    const page = await client.get(`/reports/cases?measure=received&${range}`)
    assert.equal(page.status, 200)
    assert.equal(page.$('h1').text().trim(), 'Concerns received')
    const shown = page.$('tbody tr td:first-child a').map((_, a) => page.$(a).text().trim()).get()
    assert.deepEqual(shown, [refs.formula, refs.housing])
    const forSlo = await (await app.signedIn(slo)).get(`/reports/cases?measure=received&${range}`)
    assert.ok(forSlo.text.includes(refs.restricted!))
    assert.match(forSlo.$('tbody').text(), /Restricted/)
  })

  it('filters by the row of the table the figure came from', async () => {
    const page = await client.get(`/reports/cases?measure=received.service&value=${org.services[0]!.id}&${range}`)
    assert.equal(page.$('h1').text().trim(), 'Concerns received from a service: Housing Management')
    assert.deepEqual(page.$('tbody tr td:first-child a').map((_, a) => page.$(a).text().trim()).get(), [refs.housing])
    const decisions = await client.get(`/reports/cases?measure=decision&value=advice_and_guidance&${range}`)
    assert.deepEqual(decisions.$('tbody tr td:first-child a').map((_, a) => decisions.$(a).text().trim()).get(), [refs.formula])
  })

  it('records who saw which cases', async () => {
    await client.get(`/reports/cases?measure=received&${range}`)
    const row = await app.database.db.selectFrom('audit_event').select('details').where('actor_user_id', '=', manager.id).where('action', '=', 'concern.list').orderBy('seq', 'desc').executeTakeFirstOrThrow()
    assert.equal((row.details as { record_ids: string[] }).record_ids.length, 2)
  })

  it('refuses links that cannot come from a figure with a 400 page', async () => {
    for (const query of [
      `measure=everything&${range}`,
      `measure=received.service&value=not-a-service&${range}`,
      `measure=received.service&value=${newId()}&${range}`,
      `measure=received.type&value=adult:Made up&${range}`,
      `measure=received.age&value=abc&${range}`,
      `measure=received&value=extra&${range}`,
      `measure=received.service&${range}`,
      'measure=received&from=2022-02-30&to=2023-03-31',
      'measure=received&from=2023-04-01&to=2022-03-31',
      `measure=received&measure=closed&${range}`,
      `measure=received&${range}&page=0`,
    ]) {
      const page = await client.get(`/reports/cases?${query}`)
      assert.equal(page.status, 400, query)
    }
    const bad = await client.get(`/reports/cases?measure=everything&${range}`)
    assert.match(bad.text, /There is a problem with this report link/)
  })

  it('downloads the list as CSV (RFC 4180, formulas neutralised) and as XLSX, audited with the ids', async () => {
    const csv = await download(client, `/reports/cases/download?measure=received&${range}&format=csv`)
    assert.equal(csv.status, 200)
    assert.equal(csv.type, 'text/csv; charset=utf-8')
    assert.match(csv.disposition!, /^attachment; filename="kestrel-cases-received-2022-04-01-to-2023-03-31\.csv"$/)
    const text = csv.body.toString('utf8')
    assert.ok(text.startsWith('\uFEFF'))
    assert.ok(text.includes('\r\n'))
    const rows = parseCsv(text.slice(1))
    const header = rows.findIndex((r) => r[0] === 'Reference')
    const body = rows.slice(header + 1).filter((r) => r.length > 1)
    assert.deepEqual(body.map((r) => r[0]).sort(), [refs.formula, refs.housing].sort())
    const formulaRow = body.find((r) => r[0] === refs.formula)!
    assert.equal(formulaRow[5], "'=HYPERLINK(\"http://evil.example\",\"Click\")", 'a leading apostrophe stops a spreadsheet running it')
    assert.ok(!text.includes(refs.restricted!), 'restricted cases stay out of exports for those not named')

    const xlsx = await download(client, `/reports/cases/download?measure=received&${range}&format=xlsx`)
    assert.equal(xlsx.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const sheet = await readSheet(xlsx.body)
    assert.deepEqual(sheet[0]!.slice(0, 3), ['Reference', 'Received', 'Addressed'])
    assert.deepEqual(sheet.slice(1).map((r) => r[0]).sort(), [refs.formula, refs.housing].sort())

    const audits = await app.database.db.selectFrom('audit_event').select('details').where('actor_user_id', '=', manager.id).where('action', '=', 'report.export').execute()
    assert.equal(audits.length, 2)
    assert.equal((audits[0]!.details as { count: number }).count, 2)
  })

  it('refuses a download in an unknown format, and to roles that may not see reports', async () => {
    assert.equal((await download(client, `/reports/cases/download?measure=received&${range}&format=pdf`)).status, 400)
    const dso = await app.factories.user(org, ['dso'])
    const dsoClient = await app.signedIn(dso)
    assert.equal((await download(dsoClient, `/reports/cases/download?measure=received&${range}&format=csv`)).status, 403)
    assert.equal((await download(await app.signedIn(referrer), `/reports/cases?measure=received&${range}`)).status, 403)
  })
})
