import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { caseTeam, openCase, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary, headingText, type Page } from '../../../../test/helpers/client.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'
import type { TestOrganisation } from '../../../../test/helpers/factories.js'
import { sql } from 'kysely'
import { nameSimilarity } from '../../../domain/person-matching.js'

function previousLine(page: Page, name: string): string {
  const card = page.$('.govuk-summary-card').filter((_, el) => page.$(el).find('.govuk-summary-card__title').text().includes(name))
  return card.find('p:contains("previous concern")').text().replace(/\s+/g, ' ').trim()
}

describe('case record: people and the person index', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  const john = { personName: 'John Smith', personDateOfBirth: '1961-04-02', personPostcode: 'WM4 7QT' }

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T10:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
  })
  after(() => app.stop())

  it('adds the person at risk as described by the referrer when nobody matches', async () => {
    const first = await openCase(app, team, john)
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${first}/people`)
    assert.match(page.$('.govuk-inset-text').text(), /Nobody in the index matches/)
    const sent = await lead.post(`/concerns/${first}/people/new`, { fromReferral: 'yes' })
    assert.equal(sent.status, 303)
    assert.equal((await lead.post(`/concerns/${first}/people/new`, { fromReferral: 'yes' })).status, 303, 'a double click')
    assert.equal((await app.database.db.selectFrom('concern_person').select('person_id').where('concern_id', '=', first).execute()).length, 1, 'adds the person once')
    const after = await lead.follow(sent)
    assert.match(after.$('.govuk-summary-card__title').text(), /John Smith\s+Person at risk/)
    assert.match(after.text, /No other concerns about this person/)
  })

  it('offers "Jon Smyth" with the same date of birth and postcode as John Smith, and links the repeat concern', async () => {
    const first = (await app.database.db.selectFrom('concern').select('id').where('person_name', '=', 'John Smith').executeTakeFirstOrThrow()).id
    app.clock.advance(86_400_000)
    const second = await openCase(app, team, { personName: 'Jon Smyth', personDateOfBirth: '1961-04-02', personPostcode: 'wm4 7qt' })
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${second}/people`)
    const match = page.$('.kestrel-match')
    assert.equal(match.length, 1)
    assert.match(match.text(), /John Smith/)
    assert.match(match.text(), /Strong match/)
    assert.match(match.text(), /Similar name, same date of birth, same postcode/)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const linked = await lead.post(`/concerns/${second}/people/link`, { personId: match.find('input[name="personId"]').attr('value')!, role: 'subject' })
    assert.equal(linked.status, 303)
    const after = await lead.follow(linked)
    assert.equal(previousLine(after, 'John Smith'), '1 previous concern about this person:')
    assert.equal(after.$(`a[href="/concerns/${first}"]`).length, 1, 'with a link to it')
    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    assert.ok(rows.some((r) => r.action === 'person.link' && r.record_id === second))
  })

  it('shows "3 previous concerns" once a person has three earlier ones', async () => {
    const personId = (await app.database.db.selectFrom('person').select('id').where('name', '=', 'John Smith').executeTakeFirstOrThrow()).id
    let latest = ''
    for (let i = 0; i < 2; i++) {
      app.clock.advance(86_400_000)
      latest = await openCase(app, team, john)
      const dso = await app.signedIn(team.lead)
      await dso.get(`/concerns/${latest}/people`)
      assert.equal((await dso.post(`/concerns/${latest}/people/link`, { personId, role: 'subject' })).status, 303)
    }
    const lead = await app.signedIn(team.lead)
    const page = await lead.get(`/concerns/${latest}/people`)
    assert.equal(previousLine(page, 'John Smith'), '3 previous concerns about this person:')
  })

  it('searches the index before adding someone new, and adds them when none is the same person', async () => {
    const caseId = await openCase(app, team, { personName: 'Amira Khan', personDateOfBirth: null, personAgeYears: 40 })
    const lead = await app.signedIn(team.lead)
    await lead.get(`/concerns/${caseId}/people/new`)
    const bad = await lead.post(`/concerns/${caseId}/people/new`, { role: '', name: '', postcode: 'nonsense' })
    assert.equal(bad.status, 400)
    assert.deepEqual(errorSummary(bad), ['Select how this person is involved', 'Enter their name', 'Enter a real postcode, like LE67 3FJ'])
    const form = { role: 'alleged_responsible', name: 'Johnny Smith', otherNames: '', 'dob-day': '2', 'dob-month': '4', 'dob-year': '1961', ageYears: '', address: '', postcode: 'WM4 7QT' }
    const offered = await lead.post(`/concerns/${caseId}/people/new`, form)
    assert.equal(offered.status, 200)
    assert.equal(headingText(offered), 'Is Johnny Smith someone already in Kestrel?')
    const addNew = offered.$('form').filter((_, el) => offered.$(el).find('input[name="confirmNew"]').length > 0)
    const hidden = Object.fromEntries(addNew.find('input[type="hidden"]').map((_, el) => [[offered.$(el).attr('name')!, offered.$(el).attr('value') ?? '']]).get() as [string, string][])
    const created = await lead.post(`/concerns/${caseId}/people/new`, hidden)
    assert.equal(created.status, 303)
    const page = await lead.follow(created)
    assert.match(page.$('.govuk-summary-card__title').text(), /Johnny Smith\s+Alleged person responsible/)
    assert.equal(await app.database.db.selectFrom('person').select('id').where('name', '=', 'Johnny Smith').execute().then((r) => r.length), 1)
  })

  it('lets a manager merge two records of the same person, and undo it exactly', async () => {
    const johnny = (await app.database.db.selectFrom('person').select('id').where('name', '=', 'Johnny Smith').executeTakeFirstOrThrow()).id
    const john = (await app.database.db.selectFrom('person').select('id').where('name', '=', 'John Smith').executeTakeFirstOrThrow()).id
    const manager = await app.signedIn(team.manager)
    const mergePage = await manager.get(`/people/${john}/merge`)
    const option = mergePage.$('input[name="other"]').filter((_, el) => (mergePage.$(el).attr('value') ?? '').startsWith(johnny))
    assert.equal(option.length, 1, 'the look-alike record is offered')
    const noReason = await manager.post(`/people/${john}/merge`, { other: option.attr('value')!, reason: '', version: mergePage.$('input[name="version"]').attr('value')! })
    assert.deepEqual(errorSummary(noReason), ['Enter why these are the same person'])
    const seq = await lastAuditSeq(app.database.db, org.id)
    const merged = await manager.post(`/people/${john}/merge`, { other: option.attr('value')!, reason: 'Same date of birth and address; Johnny is a nickname.', version: mergePage.$('input[name="version"]').attr('value')! })
    assert.equal(merged.status, 303)
    const person = await manager.follow(merged)
    assert.match(person.$('h2:contains("concerns about this person")').text(), /5 concerns about this person/)
    assert.match(person.text, /Morgan Manager merged Johnny Smith into John Smith/)
    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    const audit = rows.find((r) => r.action === 'person.merge')!
    assert.deepEqual([audit.details.survivor_id, audit.details.merged_id], [john, johnny])

    const undoHref = person.$('a:contains("Undo")').attr('href')!
    await manager.get(undoHref)
    const undone = await manager.post(undoHref, { reason: 'Different people: checked with the GP.' })
    assert.equal(undone.status, 303)
    const after = await manager.follow(undone)
    assert.match(after.$('h2:contains("concerns about this person")').text(), /4 concerns about this person/)
    assert.match(after.text, /Undone by Morgan Manager/)
    const row = await app.database.db.selectFrom('person').select('merged_into_id').where('id', '=', johnny).executeTakeFirstOrThrow()
    assert.equal(row.merged_into_id, null)
  })

  it('scores names as the database’s pg_trgm does, and forgives accents the database does not', async () => {
    const similarity = async (a: string, b: string) => (await sql<{ s: number }>`SELECT similarity(lower(${a}), lower(${b}))::float8 AS s`.execute(app.database.db)).rows[0]!.s
    for (const [a, b] of [['Jon Smyth', 'John Smith'], ['Margaret Ellis', 'Peggy Ellis'], ['O’Brien', 'OBrien'], ['Smith-Jones', 'Smith Jones']] as const) {
      assert.ok(Math.abs((await similarity(a, b)) - nameSimilarity(a, b)) < 1e-6, `${a} / ${b}`)
    }
    // "Zoë" and "Zoe": the database fetches the candidate (above its low threshold); the rules treat them as the same name.
    assert.ok((await similarity('Zoë Adams', 'Zoe Adams')) > 0.15)
    assert.equal(nameSimilarity('Zoë Adams', 'Zoe Adams'), 1)
  })

  it('does not let a DSO merge people', async () => {
    const john = (await app.database.db.selectFrom('person').select('id').where('name', '=', 'John Smith').executeTakeFirstOrThrow()).id
    const dso = await app.signedIn(team.lead)
    assert.equal((await dso.get(`/people/${john}`)).status, 200)
    assert.equal((await dso.get(`/people/${john}/merge`)).status, 403)
  })
})
