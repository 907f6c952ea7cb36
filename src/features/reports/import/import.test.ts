import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import writeXlsxFile from 'write-excel-file/node'
import { parseCsv } from '../../../formats/csv-reader.js'
import { toCsv } from '../../../formats/csv-writer.js'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, type TestClient } from '../../../../test/helpers/client.js'
import { engineName } from '../../../../test/helpers/database.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { uploadFile } from '../../../../test/helpers/upload.js'

const HEADER = ['external_reference', 'received_at', 'referring_service', 'at_risk', 'date_of_birth', 'age', 'gender', 'types', 'location_of_risk', 'source_of_risk', 'source_of_concern', 'addressed_at', 'decision', 'onward_agencies', 'closed_at', 'outcome', 'risk_outcome']

function row(values: Partial<Record<(typeof HEADER)[number], string>>): string[] {
  const defaults: Record<string, string> = {
    received_at: '14/06/2021 10:30',
    referring_service: 'housing management',
    at_risk: 'Adult',
    date_of_birth: '02/03/1941',
    types: 'Financial or Material Abuse; self-neglect',
    location_of_risk: 'Own Home',
    addressed_at: '15/06/2021',
    decision: 'Onward referral',
    onward_agencies: 'Adult Social Care; action fraud',
  }
  return HEADER.map((h) => values[h] ?? defaults[h] ?? '')
}

function csvFile(rows: string[][]): Buffer {
  return Buffer.from(toCsv([HEADER, ...rows]), 'utf8')
}

describe(`reports: importing historical concerns (${engineName})`, () => {
  let app: TestApp
  let org: TestOrganisation
  let manager: TestUser
  let client: TestClient

  const countConcerns = async () => Number((await app.database.db.selectFrom('concern').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', org.id).executeTakeFirstOrThrow()).n)

  async function check(name: string, bytes: Buffer) {
    await client.get('/reports/import')
    return uploadFile(client, '/reports/import', { name, bytes })
  }

  async function checkAndOpen(name: string, bytes: Buffer) {
    const checked = await check(name, bytes)
    assert.equal(checked.status, 303, errorSummary(checked).join(' '))
    return client.get(checked.location!)
  }

  before(async () => {
    app = await startTestApp({ now: '2023-06-30T12:00:00Z' })
    org = await app.factories.organisation()
    manager = await app.factories.user(org, ['safeguarding_manager'])
    client = await app.signedIn(manager)
  })
  after(() => app.stop())

  it('checks a good file, imports it in one go on request, marks and audits the records, and counts them in reports', async () => {
    const file = csvFile([
      row({ external_reference: 'OLD-1' }),
      row({ external_reference: 'OLD-2', received_at: '2021-11-03', at_risk: 'child', date_of_birth: '', age: '9', types: 'Neglect', addressed_at: '2021-11-04', decision: 'advice and guidance', onward_agencies: '', referring_service: 'Customer Services' }),
      row({ external_reference: 'OLD-3', received_at: '01/02/2022 16:00', addressed_at: '02/02/2022', closed_at: '30/03/2022', outcome: 'Substantiated', risk_outcome: 'risk reduced', source_of_risk: 'Other - Known to Individual', gender: 'female', source_of_concern: 'Family member' }),
    ])
    const page = await checkAndOpen('old-records.csv', file)
    assert.equal(page.status, 200)
    assert.match(page.$('.govuk-summary-list').text(), /Ready to import\s+3/)
    assert.equal(await countConcerns(), 0, 'checking imports nothing')

    const imported = await client.post(new URL(page.url, app.url).pathname, { action: 'import', version: String(page.$('input[name="version"]').val()) })
    assert.equal(imported.status, 303)
    const done = await client.follow(imported)
    assert.match(done.text, /3 concerns imported/)
    assert.equal(await countConcerns(), 3)

    const db = app.database.db
    const marks = await db.selectFrom('concern_import as i').innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'i.organisation_id').onRef('c.id', '=', 'i.concern_id')).selectAll('i').select(['c.status', 'c.decision', 'c.concern_types', 'c.sac_outcome', 'c.risk_outcome', 'c.source_of_risk', 'c.person_age_years', 'c.received_at']).where('i.organisation_id', '=', org.id).orderBy('i.external_reference').execute()
    assert.deepEqual(marks.map((m) => m.external_reference), ['OLD-1', 'OLD-2', 'OLD-3'])
    assert.deepEqual(marks[0]!.concern_types, ['adult:Financial or Material Abuse', 'adult:Self-Neglect'])
    assert.equal(marks[0]!.received_at.toISOString(), '2021-06-14T09:30:00.000Z', '10:30 London summer time')
    assert.equal(marks[1]!.person_age_years, 9)
    assert.equal(marks[1]!.decision, 'advice_and_guidance')
    assert.deepEqual([marks[2]!.status, marks[2]!.sac_outcome, marks[2]!.risk_outcome, marks[2]!.source_of_risk, marks[2]!.gender, marks[2]!.source_of_concern], ['closed', 'substantiated', 'risk_reduced', 'known_to_individual', 'female', 'family_member'])
    const referrals = await db.selectFrom('onward_referral').select('agency').where('organisation_id', '=', org.id).orderBy('agency').execute()
    assert.deepEqual(referrals.map((r) => r.agency), ['Action Fraud', 'Action Fraud', 'Adult Social Care', 'Adult Social Care'])
    const chronology = await db.selectFrom('chronology_entry').select('category').where('organisation_id', '=', org.id).execute()
    assert.equal(chronology.filter((c) => c.category === 'Imported').length, 3)
    const audits = await db.selectFrom('audit_event').select(['action', 'details']).where('organisation_id', '=', org.id).where('action', 'like', 'import.%').orderBy('seq').execute()
    assert.deepEqual(audits.map((a) => a.action), ['import.check', 'import.run'])
    assert.deepEqual(audits[1]!.details, { imported: 3, left_out_with_problems: 0, already_imported: 0 })

    const dashboard = await client.get('/reports?year=2021')
    const received = dashboard.$('#table-headline tbody tr').first().find('td').first().text().trim()
    assert.match(received, /^3\b/)
    // Imported records never land in the DSOs' queue: they were decided long ago.
    assert.equal(Number((await db.selectFrom('concern').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', org.id).where('status', 'in', ['submitted', 'allocated']).executeTakeFirstOrThrow()).n), 0)

    // Importing the same file again changes nothing.
    const again = await checkAndOpen('old-records.csv', file)
    assert.match(again.$('.govuk-summary-list').text(), /Ready to import\s+0/)
    assert.match(again.$('.govuk-summary-list').text(), /Already imported before\s+3/)
    assert.match(again.text, /There is nothing to import/)
  })

  it('reads XLSX workbooks too, with real date cells', async () => {
    const header = HEADER.map((h) => ({ value: h, type: String }))
    const data = [header, HEADER.map((h) => (h === 'external_reference' ? { value: 'XL-1', type: String } : h === 'received_at' ? { value: new Date(Date.UTC(2022, 4, 9, 10, 15)), type: Date, format: 'dd/mm/yyyy hh:mm' } : h === 'addressed_at' ? { value: new Date(Date.UTC(2022, 4, 10)), type: Date, format: 'dd/mm/yyyy' } : { value: row({})[HEADER.indexOf(h)]!, type: String }))].map((r) => r.map((c) => (c.value === '' ? null : c)))
    const bytes = await writeXlsxFile(data as never).toBuffer()
    const page = await checkAndOpen('records.xlsx', bytes)
    assert.match(page.$('.govuk-summary-list').text(), /Ready to import\s+1/)
    await client.post(new URL(page.url, app.url).pathname, { action: 'import', version: String(page.$('input[name="version"]').val()) })
    const c = await app.database.db.selectFrom('concern_import as i').innerJoin('concern as c', (j) => j.onRef('c.organisation_id', '=', 'i.organisation_id').onRef('c.id', '=', 'i.concern_id')).select('c.received_at').where('i.external_reference', '=', 'XL-1').executeTakeFirstOrThrow()
    assert.equal(c.received_at.toISOString(), '2022-05-09T09:15:00.000Z')
  })

  it('reports every bad row with its row, column and reason, and imports only the good ones when asked', async () => {
    const before = await countConcerns()
    const file = csvFile([
      row({ external_reference: 'BAD-1', referring_service: 'Parks and Gardens' }),
      row({ external_reference: 'BAD-2', received_at: '31/02/2022' }),
      row({ external_reference: 'BAD-3', types: 'Self-Neglect; Witchcraft' }),
      row({ external_reference: 'GOOD-1' }),
      row({ external_reference: 'GOOD-1', received_at: '2022-01-05', addressed_at: '2022-01-06' }),
      row({ external_reference: 'BAD-5', closed_at: '', outcome: 'Substantiated' }),
      row({ external_reference: 'BAD-6', at_risk: 'child', date_of_birth: '02/03/1941', types: 'Neglect' }),
      row({ external_reference: 'BAD-7', onward_agencies: 'Adult Social Care; Ghostbusters' }),
    ])
    const page = await checkAndOpen('mixed.csv', file)
    const problems = page.$('tbody tr').map((_, tr) => page.$(tr).find('td').map((__, td) => page.$(td).text().trim()).get().join(' | ')).get()
    assert.deepEqual(problems, [
      '2 | referring_service | referring_service “Parks and Gardens” is not one of your services (add it under Reference data first)',
      '3 | received_at | received_at “31/02/2022” is not a real date: write it like 14/06/2021 or 2021-06-14, with a time if you have one',
      '4 | types | “Witchcraft” is not a type of concern in Kestrel’s lists',
      '6 | external_reference | external_reference “GOOD-1” is also on row 5: each record needs its own reference',
      '7 | closed_at | An outcome needs closed_at: give the date the case was closed',
      '8 | date_of_birth | A child must be under 18 when the concern was received: check the age or at_risk',
      '9 | onward_agencies | “Ghostbusters” is not an agency in Kestrel’s list (add it under Reference data first)',
    ])
    assert.match(page.$('.govuk-summary-list').text(), /Rows with problems\s+7/)
    assert.ok(!page.text.includes('02/03/1941'), 'personal values are never repeated in the report')

    const csv = await fetch(new URL(page.$('a[download]').attr('href')!, app.url), { headers: { cookie: client.cookieHeader() } })
    const rows = parseCsv((await csv.text()).replace(/^\uFEFF/, ''))
    assert.deepEqual(rows[0], ['Row', 'Column', 'Problem'])
    assert.equal(rows.length, 8)

    assert.match(page.$('button[value="import"]').text(), /Import 1 concern without problems/)
    await client.post(new URL(page.url, app.url).pathname, { action: 'import', version: String(page.$('input[name="version"]').val()) })
    assert.equal(await countConcerns(), before + 1)
  })

  it('lets the person cancel instead: nothing is imported', async () => {
    const before = await countConcerns()
    const page = await checkAndOpen('cancel-me.csv', csvFile([row({ external_reference: 'CANCEL-1' })]))
    const cancelled = await client.post(new URL(page.url, app.url).pathname, { action: 'discard', version: String(page.$('input[name="version"]').val()) })
    assert.equal(cancelled.status, 303)
    assert.equal(await countConcerns(), before)
    const stored = await app.database.db.selectFrom('import_batch').select(['status', 'content']).where('file_name', '=', 'cancel-me.csv').executeTakeFirstOrThrow()
    assert.deepEqual(stored, { status: 'discarded', content: null })
  })

  it('refuses junk, the wrong encoding and files without the columns, saying why, and stores nothing', async () => {
    const batches = async () => Number((await app.database.db.selectFrom('import_batch').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const stored = await batches()
    const cases: [string, Buffer, RegExp][] = [
      ['junk.csv', randomBytes(10 * 1024 * 1024), /neither an XLSX workbook nor UTF-8 text/],
      ['junk-text.csv', Buffer.from('lorem ipsum '.repeat(900_000)), /Missing: external_reference, received_at/],
      ['latin1.csv', Buffer.concat([Buffer.from(`${HEADER.join(',')}\r\n`), Buffer.from(row({ external_reference: 'ENC-1', referring_service: 'Housing Management', types: 'Self-Neglect' }).join(',').replace('Own Home', 'Caf\u00e9'), 'latin1')]), /save it again as “CSV UTF-8/],
      ['utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER.join(','), 'utf16le')]), /saved as UTF-16 text/],
      ['old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(512)]), /old-style Excel file/],
      ['broken.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(512)]), /could not be read/],
      ['columns.csv', Buffer.from('reference,date\r\nA,2022-01-01\r\n'), /Missing: external_reference/],
      ['quotes.csv', Buffer.from(`${HEADER.join(',')}\r\n"OPEN,2022-01-01\r\n`), /not valid CSV: line 2 opens a quote/],
      ['empty.csv', Buffer.alloc(0), /The file is empty/],
    ]
    for (const [name, bytes, message] of cases) {
      const page = await check(name, bytes)
      assert.equal(page.status, 400, name)
      assert.match(errorSummary(page).join(' '), message, name)
    }
    const none = await check('', Buffer.alloc(0))
    assert.deepEqual(errorSummary(none), ['Select a CSV or XLSX file to import'])
    assert.equal(await batches(), stored)
  })

  it('imports nothing at all when the database fails part-way through', async () => {
    const db = app.database.db
    // A fault injected for this test only: the 1,500th record's mark fails.
    await sql`CREATE FUNCTION test_fail_import() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.external_reference = 'HALF-1500' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`.execute(app.database.owner)
    await sql`CREATE TRIGGER test_fail_import BEFORE INSERT ON concern_import FOR EACH ROW EXECUTE FUNCTION test_fail_import()`.execute(app.database.owner)
    try {
      const before = await countConcerns()
      const rows = Array.from({ length: 2000 }, (_, i) => row({ external_reference: `HALF-${i + 1}`, received_at: `2022-0${1 + (i % 9)}-1${i % 10} 10:00`, addressed_at: `2022-0${1 + (i % 9)}-1${i % 10} 15:00` }))
      const page = await checkAndOpen('half.csv', csvFile(rows))
      assert.match(page.$('.govuk-summary-list').text(), /Ready to import\s+2,000/)
      const streamed = await client.post(new URL(page.url, app.url).pathname, { action: 'import', version: String(page.$('input[name="version"]').val()) })
      assert.equal(streamed.status, 200)
      assert.match(streamed.text, /Nothing was imported/)
      assert.equal(await countConcerns(), before)
      assert.equal(Number((await db.selectFrom('concern_import').select((eb) => eb.fn.countAll<number>().as('n')).where('external_reference', 'like', 'HALF-%').executeTakeFirstOrThrow()).n), 0)
      const batch = await db.selectFrom('import_batch').select('status').where('file_name', '=', 'half.csv').executeTakeFirstOrThrow()
      assert.equal(batch.status, 'validated', 'the batch can be tried again')
    } finally {
      await sql`DROP TRIGGER test_fail_import ON concern_import`.execute(app.database.owner)
      await sql`DROP FUNCTION test_fail_import()`.execute(app.database.owner)
    }
  })

  it('shows a progress bar while thousands of rows import, and a double submit imports them once', async () => {
    const before = await countConcerns()
    const rows = Array.from({ length: 1200 }, (_, i) => row({ external_reference: `BULK-${i + 1}`, received_at: `2020-1${i % 3}-0${1 + (i % 9)} 10:00`, addressed_at: `2020-1${i % 3}-0${1 + (i % 9)} 15:00` }))
    const page = await checkAndOpen('bulk.csv', csvFile(rows))
    const path = new URL(page.url, app.url).pathname
    const version = String(page.$('input[name="version"]').val())
    const [first, second] = await Promise.all([client.post(path, { action: 'import', version }), client.post(path, { action: 'import', version })])
    // One of them imports (streaming its progress); the other waits for it, then finds the import done.
    const streamed = [first, second].find((p) => p.$('.govuk-panel').length === 1)!
    assert.ok(streamed.$('progress.kestrel-progress').length >= 2, 'progress steps were streamed')
    assert.match(streamed.$('.govuk-panel').text(), /1,200 concerns imported/)
    // Depending on timing it was turned away before starting (a redirect) or after waiting for the first.
    const other = streamed === first ? second : first
    const otherPage = other.status === 303 ? await client.follow(other) : other
    assert.match(otherPage.text, /already finished/)
    assert.equal(await countConcerns(), before + 1200)
    // A large import refreshes the planner's statistics, so what follows plans on the real size.
    const all = await app.database.db.selectFrom('concern').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const stats = await sql<{ reltuples: number }>`SELECT reltuples::int AS reltuples FROM pg_class WHERE relname = 'concern'`.execute(app.database.db)
    assert.equal(stats.rows[0]!.reltuples, Number(all.n), 'the planner knows how many concerns there are')
  })

  it('is for safeguarding managers only', async () => {
    for (const role of ['auditor', 'senior_lead_officer', 'dso'] as const) {
      const other = await app.signedIn(await app.factories.user(org, [role]))
      assert.equal((await other.get('/reports/import')).status, 403, role)
    }
  })
})
