import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { inflateSync } from 'node:zlib'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import type { TestClient } from '../../../../test/helpers/client.js'
import { engineName } from '../../../../test/helpers/database.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { makeConcern } from '../../../../test/helpers/report-fixtures.js'

async function download(client: TestClient, path: string) {
  const response = await fetch(new URL(path, client.baseUrl), { headers: { cookie: client.cookieHeader() }, redirect: 'manual' })
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), body: Buffer.from(await response.arrayBuffer()) }
}

/** The text drawn on the pages: pdfkit writes standard-font text as hex strings inside compressed streams. */
function pageText(pdf: Buffer): string {
  const raw = pdf.toString('latin1')
  let text = ''
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string
    try {
      content = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1')
    } catch {
      continue
    }
    for (const t of content.matchAll(/\[(.*?)\] TJ/g)) {
      text += [...t[1]!.matchAll(/<([0-9a-f]+)>/gi)].map((h) => Buffer.from(h[1]!, 'hex').toString('latin1')).join('') + ' '
    }
  }
  return text.replace(/\s+/g, ' ')
}

describe(`reports: the committee report (${engineName})`, () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let slo: TestUser
  let client: TestClient

  before(async () => {
    app = await startTestApp({ now: '2023-05-10T12:00:00Z' })
    org = await app.factories.organisation('Harrowden District Council')
    referrer = await app.factories.user(org, [])
    slo = await app.factories.user(org, ['senior_lead_officer'])
    const db = app.database.db
    const [housing, customer] = org.services.map((s) => s.id) as [string, string]
    await makeConcern(db, app.factories, referrer, { receivedAt: '2022-05-09T10:00:00+01:00', serviceId: housing, addressedAt: '2022-05-10T10:00:00+01:00', decision: 'onward_referral', referrals: [{ agency: 'Police', madeAt: '2022-05-10T11:00:00+01:00' }] })
    await makeConcern(db, app.factories, referrer, { receivedAt: '2022-09-05T10:00:00+01:00', serviceId: customer, addressedAt: 'after-deadline', decision: 'advice_and_guidance' })
    await makeConcern(db, app.factories, referrer, { receivedAt: '2021-10-05T10:00:00+01:00', serviceId: housing, addressedAt: '2021-10-05T12:00:00+01:00', decision: 'onward_referral' })
    client = await app.signedIn(slo)
  })
  after(() => app.stop())

  it('writes the performance section from the data, in the committee’s words', async () => {
    const page = await client.get('/reports/committee?year=2022')
    assert.equal(page.status, 200)
    assert.equal(page.$('h1').text().trim(), 'Safeguarding performance report 2022-23')
    const paragraphs = page.$('.kestrel-narrative p').map((_, p) => page.$(p).text().trim()).get()
    assert.deepEqual(paragraphs, [
      'During 2022-23 DSOs managed a total of 2 referrals from members of staff. This compared with 1 referral received during 2021-22.',
      'During 2022-23 50% of new referrals were addressed within the corporate target of two working days (1 referral took longer).',
      '50% of safeguarding referrals made during 2022-23 resulted in a DSO making an onward referral to support agencies. This compared with 100% in 2021-22.',
      'Two different Council services made referrals during the period. The referrals were received from Housing Management and Customer Services.',
    ])
    assert.equal(page.$('svg.kestrel-chart[role="img"]').length, 2)
    assert.ok(page.$('#table-headline').length === 1 && page.$('#table-quarters').length === 1)
  })

  it('says when the year is not over yet', async () => {
    const page = await client.get('/reports/committee?year=2023')
    assert.match(page.$('[data-paragraph="volume"]').text(), /^During 2023-24 \(1 April 2023 to 10 May 2023\) DSOs managed a total of 0 referrals/)
  })

  it('downloads a tagged PDF: structure tree, language, title shown, headings, tables with header cells and figures with alternative text', async () => {
    const pdf = await download(client, '/reports/committee/pdf?year=2022')
    assert.equal(pdf.status, 200)
    assert.equal(pdf.type, 'application/pdf')
    assert.match(pdf.disposition!, /filename="kestrel-committee-report-2022-23\.pdf"/)
    const raw = pdf.body.toString('latin1')
    assert.ok(raw.startsWith('%PDF-1.7'))
    assert.match(raw, /\/MarkInfo/)
    assert.match(raw, /\/Marked true/)
    assert.match(raw, /\/StructTreeRoot/)
    assert.match(raw, /\/Lang \(en-GB\)/)
    assert.match(raw, /\/DisplayDocTitle true/)
    for (const type of ['Document', 'H1', 'H2', 'H3', 'P', 'Table', 'TR', 'TH', 'TD', 'Figure']) assert.match(raw, new RegExp(`/S /${type}\\b`), `structure element ${type}`)
    assert.match(raw, /\/Alt \(Concerns received each month: 2 in 2022-23 against 1 in 2021-22/)
    const text = pageText(pdf.body)
    assert.match(text, /During 2022-23 DSOs managed a total of 2 referrals/)
    assert.match(text, /Housing Management/)
  })

  it('audits the PDF as an export and refuses a bad year', async () => {
    await download(client, '/reports/committee/pdf?year=2022')
    const row = await app.database.db.selectFrom('audit_event').select('details').where('actor_user_id', '=', slo.id).where('action', '=', 'report.export').orderBy('seq', 'desc').executeTakeFirstOrThrow()
    assert.deepEqual(row.details, { report: 'committee', year: 2022, format: 'pdf' })
    assert.equal((await download(client, '/reports/committee/pdf?year=abc')).status, 400)
    assert.equal((await client.get('/reports/committee?year=1800')).status, 400)
  })
})
