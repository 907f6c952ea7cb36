import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { caseTeam, openCase, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary } from '../../../../test/helpers/client.js'
import { auditRowsAfter, countRows, lastAuditSeq } from '../../../../test/helpers/records.js'
import { minimalDocx, minimalPdf, minimalPng } from '../../../../test/helpers/sample-files.js'
import { uploadFile } from '../../../../test/helpers/upload.js'
import type { TestOrganisation } from '../../../../test/helpers/factories.js'

describe('case record: documents', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let caseId: string

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    caseId = await openCase(app, team)
  })
  after(() => app.stop())

  async function documentCount() {
    return [await countRows(app.database.db, 'case_document'), await countRows(app.database.db, 'document_content')]
  }

  it('stores an upload in the database under a generated id, and lists it', async () => {
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${caseId}/documents`)
    const pdf = minimalPdf()
    const sent = await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'Strategy meeting minutes.pdf', bytes: pdf, type: 'application/pdf' }, { description: 'From the police', submissionKey: page.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(sent.status, 303)
    const listed = await lead.follow(sent)
    const row = listed.$('tr').filter((_, el) => listed.$(el).text().includes('Strategy meeting minutes.pdf'))
    assert.match(row.text(), /PDF/)
    assert.match(row.text(), /From the police/)
    assert.match(row.text(), /Lena Lead/)
    const stored = await app.database.db.selectFrom('case_document as d').innerJoin('document_content as b', 'b.document_id', 'd.id').select(['d.id', 'd.file_type', 'd.size_bytes', 'b.content']).executeTakeFirstOrThrow()
    assert.equal(stored.file_type, 'pdf')
    assert.equal(stored.size_bytes, pdf.length)
    assert.deepEqual(new Uint8Array(stored.content), pdf)
    assert.match(row.find('a').attr('href')!, new RegExp(`/documents/${stored.id}/download$`), 'the link names the generated id, never the file name')
  })

  it('downloads only as an attachment with safe headers, and audits every download', async () => {
    const auditor = await app.signedIn(team.auditor)
    const page = await auditor.get(`/concerns/${caseId}/documents`)
    assert.equal(page.$('input[type="file"]').length, 0, 'auditors cannot upload')
    const href = page.$('a:contains("Download")').first().attr('href')!
    const seq = await lastAuditSeq(app.database.db, org.id)
    const response = await fetch(new URL(href, app.url), { headers: { cookie: auditor.cookieHeader() } })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/pdf')
    assert.equal(response.headers.get('content-disposition'), `attachment; filename="Strategy meeting minutes.pdf"; filename*=UTF-8''Strategy%20meeting%20minutes.pdf`)
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    assert.match(response.headers.get('content-security-policy')!, /sandbox/)
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), minimalPdf())
    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(rows.map((r) => r.action), ['document.download'])
    assert.equal(rows[0]!.record_id, caseId)
    const viewers = await (await app.signedIn(team.manager)).get(`/concerns/${caseId}/viewers`)
    const lines = viewers.$('tbody tr').map((_, el) => viewers.$(el).text().replace(/\s+/g, ' ').trim()).get()
    assert.ok(lines.some((l) => /Aubrey Auditor Downloaded a document/.test(l)), 'managers see who downloaded it')
    assert.ok(lines.some((l) => /Aubrey Auditor The case record: documents/.test(l)), 'and who opened the Documents tab')
  })

  it('accepts the other allowed types when their contents match', async () => {
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${caseId}/documents`)
    assert.equal((await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'photo.png', bytes: minimalPng() })).status, 303)
    await lead.get(`/concerns/${caseId}/documents`)
    assert.equal((await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'letter.docx', bytes: minimalDocx() })).status, 303)
  })

  it('refuses a file of the wrong type, or whose contents do not match its name, saving nothing', async () => {
    const lead = await app.signedIn(team.lead)
    const before = await documentCount()
    await lead.get(`/concerns/${caseId}/documents`)
    const exe = await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'minutes.pdf', bytes: Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]) }, { description: 'Looks like a PDF' })
    assert.equal(exe.status, 400)
    assert.deepEqual(errorSummary(exe), ['The selected file is not a real PDF: its contents do not match its name'])
    assert.equal(exe.$('#description').attr('value'), 'Looks like a PDF')
    await lead.get(`/concerns/${caseId}/documents`)
    const html = await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'page.html', bytes: new TextEncoder().encode('<script>alert(1)</script>') })
    assert.deepEqual(errorSummary(html), ['The selected file must be a PDF, Word document (DOCX), Excel spreadsheet (XLSX), JPG, PNG or text file'])
    await lead.get(`/concerns/${caseId}/documents`)
    const none = await uploadFile(lead, `/concerns/${caseId}/documents`, { name: '', bytes: new Uint8Array() })
    assert.deepEqual(errorSummary(none), ['Select a file'])
    assert.deepEqual(await documentCount(), before)
  })

  it('refuses a file over 10MB with a clear message, saving nothing; a far larger body is refused outright', async () => {
    const lead = await app.signedIn(team.lead)
    const before = await documentCount()
    await lead.get(`/concerns/${caseId}/documents`)
    const big = new Uint8Array(10 * 1024 * 1024 + 10).fill(0x41)
    const tooLarge = await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'big.txt', bytes: big })
    assert.equal(tooLarge.status, 400)
    assert.deepEqual(errorSummary(tooLarge), ['The selected file must be smaller than 10MB'])
    await lead.get(`/concerns/${caseId}/documents`)
    const huge = await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'huge.txt', bytes: new Uint8Array(51 * 1024 * 1024).fill(0x41) })
    assert.equal(huge.status, 413)
    assert.match(huge.text, /did not save anything/)
    assert.deepEqual(await documentCount(), before)
  })

  it('checks the CSRF token carried inside the multipart form', async () => {
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${caseId}/documents`)
    const before = await documentCount()
    lead.lastCsrfToken = 'not-the-token'
    const refused = await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'a.pdf', bytes: minimalPdf() })
    assert.equal(refused.status, 403)
    assert.match(refused.text, /This form has expired/)
    assert.deepEqual(await documentCount(), before)
  })

  it('adds one document when the same upload is sent twice', async () => {
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${caseId}/documents`)
    const key = page.$('input[name="submissionKey"]').attr('value')!
    const before = await countRows(app.database.db, 'case_document')
    await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'twice.pdf', bytes: minimalPdf() }, { submissionKey: key })
    await lead.get(`/concerns/${caseId}/documents`)
    await uploadFile(lead, `/concerns/${caseId}/documents`, { name: 'twice.pdf', bytes: minimalPdf() }, { submissionKey: key })
    assert.equal(await countRows(app.database.db, 'case_document'), before + 1)
  })

  it('answers 404 for a document of another case, or of another organisation', async () => {
    const lead = await app.signedIn(team.lead)
    const doc = await app.database.db.selectFrom('case_document').select('id').where('concern_id', '=', caseId).executeTakeFirstOrThrow()
    const otherCase = await openCase(app, team)
    assert.equal((await lead.get(`/concerns/${otherCase}/documents/${doc.id}/download`)).status, 404)
    const otherOrg = await app.factories.organisation()
    const outsider = await app.signedIn(await app.factories.user(otherOrg, ['dso']))
    assert.equal((await outsider.get(`/concerns/${caseId}/documents/${doc.id}/download`)).status, 404)
  })
})
