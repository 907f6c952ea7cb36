import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { headingText, type Page } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'

interface QueueRow {
  reference: string
  received: string
  person: string
  age: string
  types: string
  service: string
  deadline: string
  overdue: boolean
}

/** Rows read by column heading, so a new column elsewhere in the table does not upset them. */
function queueRows(page: Page): QueueRow[] {
  const headings = page.$('table.kestrel-queue thead th').map((_, th) => page.$(th).text().trim()).get()
  const column = (name: string) => {
    const i = headings.indexOf(name)
    assert.ok(i >= 0, `the queue has a "${name}" column`)
    return i
  }
  return page
    .$('table.kestrel-queue tbody tr')
    .map((_, tr) => {
      const cells = page.$(tr).find('td')
      const cell = (name: string) => page.$(cells[column(name)])
      const text = (name: string) => cell(name).text().trim().replace(/\s+/g, ' ')
      return {
        reference: cell('Reference').find('a').text().trim(),
        received: text('Received'),
        person: cell('Person').contents().first().text().trim(),
        age: cell('Person').find('.govuk-hint').text().trim(),
        types: cell('Types of concern').find('li').map((__, li) => page.$(li).text().trim()).get().join('; '),
        service: text('Referring service'),
        deadline: text('Deadline'),
        overdue: page.$(tr).hasClass('kestrel-row--overdue'),
      }
    })
    .get()
}

describe('the new concerns queue', () => {
  let app: TestApp
  let org: TestOrganisation
  let referrer: TestUser
  let dso: TestUser
  let manager: TestUser
  const refs: Record<string, string> = {}
  const ids: Record<string, string> = {}

  async function raiseAt(key: string, at: string, answers: Parameters<TestApp['factories']['concern']>[1]) {
    app.clock.set(at)
    const c = await app.factories.concern(referrer, answers)
    refs[key] = c.reference
    ids[key] = c.id
  }

  before(async () => {
    app = await startTestApp()
    org = await app.factories.organisation()
    referrer = await app.factories.user(org, [], { name: 'Sam Referrer' })
    dso = await app.factories.user(org, ['dso'], { name: 'Dana Officer' })
    manager = await app.factories.user(org, ['safeguarding_manager'], { name: 'Morgan Manager' })

    // Christmas 2022: Monday 26 and Tuesday 27 December are bank holidays. Raised out of
    // deadline order on purpose.
    await raiseAt('thursday', '2022-12-22T10:00:00Z', { personName: 'Thursday Person', personDateOfBirth: null, personAgeYears: 34, concernTypes: ['adult:Self-Neglect', 'adult:Domestic Abuse'] })
    await raiseAt('friday', '2022-12-23T11:30:00Z', { atRisk: 'unborn', personName: 'Friday Parent', personDateOfBirth: null, personAgeYears: null, concernTypes: ['child:Neglect'] })
    await raiseAt('wednesday', '2022-12-21T16:45:00Z', { atRisk: 'child', personName: 'Wednesday Child', personDateOfBirth: '2014-01-15', concernTypes: ['child:Online harm'] })
    await raiseAt('monday', '2022-12-19T09:05:00Z', { personName: 'Monday Person', personDateOfBirth: '1988-06-01', immediateDanger: true })
    await raiseAt('addressed', '2022-12-20T09:00:00Z', { personName: 'Addressed Person' })
    await app.database.db.updateTable('concern').set({ status: 'open', addressed_at: new Date('2022-12-21T12:00:00Z') }).where('id', '=', ids.addressed!).execute()
    await raiseAt('allocated', '2022-12-20T09:30:00Z', { personName: 'Allocated Person' })
    await app.database.db.updateTable('concern').set({ status: 'allocated' }).where('id', '=', ids.allocated!).execute()

    // Friday 23 December 2022, 3pm.
    app.clock.set('2022-12-23T15:00:00Z')
  })
  after(() => app.stop())

  it('lists unaddressed concerns by deadline with their ages, types, services and time left', async () => {
    const client = await app.signedIn(dso)
    const seq = await lastAuditSeq(app.database.db, org.id)
    const page = await client.get('/queue')
    assert.equal(page.status, 200)
    assert.equal(headingText(page), 'New concerns')
    const rows = queueRows(page)
    assert.deepEqual(
      rows.map((r) => r.reference),
      [refs.monday, refs.allocated, refs.wednesday, refs.thursday, refs.friday],
      'sorted by deadline, addressed concerns left out',
    )
    const byRef = new Map(rows.map((r) => [r.reference, r]))
    assert.deepEqual(byRef.get(refs.thursday!), {
      reference: refs.thursday,
      received: '22 Dec 2022, 10:00am',
      person: 'Thursday Person',
      age: 'Age: about 34',
      types: 'Self-Neglect (adult); Domestic Abuse (adult)',
      service: org.services[0]!.name,
      deadline: 'End of 28 December 2022 1 working day left',
      overdue: false,
    })
    assert.equal(byRef.get(refs.friday!)!.age, 'Age: Unborn child')
    assert.equal(byRef.get(refs.friday!)!.deadline, 'End of 29 December 2022 2 working days left')
    assert.equal(byRef.get(refs.wednesday!)!.age, 'Age: 8')
    assert.equal(byRef.get(refs.wednesday!)!.deadline, 'End of 23 December 2022 Due today (8 hours left)')
    assert.equal(byRef.get(refs.monday!)!.age, 'Age: 34')
    assert.equal(byRef.get(refs.monday!)!.deadline, 'End of 21 December 2022 Overdue by 2 working days')
    assert.equal(byRef.get(refs.allocated!)!.deadline, 'End of 22 December 2022 Overdue by 1 working day')

    assert.deepEqual(
      rows.filter((r) => r.overdue).map((r) => r.reference),
      [refs.monday, refs.allocated],
      'overdue rows stand out',
    )
    assert.match(page.$('.govuk-warning-text').text().replace(/\s+/g, ' '), /2 concerns are past the deadline\./)
    assert.match(page.$('table.kestrel-queue tbody tr').first().text(), /Immediate danger/)
    assert.equal(page.$('caption').text().trim(), '5 concerns waiting, sorted by deadline')

    const audit = await auditRowsAfter(app.database.db, org.id, seq)
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.action, 'concern.list')
    assert.deepEqual((audit[0]!.details as { record_ids: string[] }).record_ids, [ids.monday, ids.allocated, ids.wednesday, ids.thursday, ids.friday])
    assert.doesNotMatch(JSON.stringify(audit[0]!.details), /Person|Child|Parent/)
  })

  it('moves the time left on as the clock moves: due today, then overdue', async () => {
    app.clock.set('2022-12-28T14:00:00Z')
    const client = await app.signedIn(manager)
    const dueToday = new Map(queueRows(await client.get('/queue')).map((r) => [r.reference, r]))
    assert.equal(dueToday.get(refs.thursday!)!.deadline, 'End of 28 December 2022 Due today (9 hours left)')
    assert.equal(dueToday.get(refs.thursday!)!.overdue, false)
    assert.equal(dueToday.get(refs.friday!)!.deadline, 'End of 29 December 2022 1 working day left')

    app.clock.set('2022-12-29T00:00:01Z')
    const client2 = await app.signedIn(manager)
    const overdue = new Map(queueRows(await client2.get('/queue')).map((r) => [r.reference, r]))
    assert.equal(overdue.get(refs.thursday!)!.deadline, 'End of 28 December 2022 Overdue by 1 working day')
    assert.equal(overdue.get(refs.thursday!)!.overdue, true)
    assert.equal(overdue.get(refs.friday!)!.deadline, 'End of 29 December 2022 Due today (23 hours left)')
    app.clock.set('2022-12-23T15:00:00Z')
  })

  it('is only for DSOs and safeguarding managers', async () => {
    for (const roles of [[], ['senior_lead_officer'], ['auditor'], ['admin']] as const) {
      const user = await app.factories.user(org, [...roles])
      const client = await app.signedIn(user)
      const page = await client.get('/queue')
      assert.equal(page.status, 403, `roles: ${roles.join(',') || 'staff'}`)
      assert.doesNotMatch(page.text, /Thursday Person/)
    }
    assert.equal((await (await app.signedIn(manager)).get('/queue')).status, 200)
  })

  it('leaves out another organisation’s concerns', async () => {
    const elsewhere = await app.factories.organisation('Elsewhere Council')
    const theirReferrer = await app.factories.user(elsewhere)
    await app.factories.concern(theirReferrer, { personName: 'Elsewhere Person' })
    const theirDso = await app.factories.user(elsewhere, ['dso'])
    const ours = await (await app.signedIn(dso)).get('/queue')
    assert.doesNotMatch(ours.text, /Elsewhere Person/)
    const theirs = queueRows(await (await app.signedIn(theirDso)).get('/queue'))
    assert.deepEqual(
      theirs.map((r) => `${r.person} (${r.age})`),
      ['Elsewhere Person (Age: 72)'],
    )
  })

  it('leaves out restricted concerns for everyone not named on them', async () => {
    await raiseAt('restricted', '2022-12-23T12:00:00Z', { personName: 'Restricted Person' })
    app.clock.set('2022-12-23T15:00:00Z')
    await app.database.db.updateTable('concern').set({ restricted: true }).where('id', '=', ids.restricted!).execute()
    await app.database.db
      .insertInto('concern_access')
      .values({ organisation_id: org.id, concern_id: ids.restricted!, user_id: manager.id, granted_by: manager.id, granted_at: app.clock.now() })
      .execute()

    const unnamed = await (await app.signedIn(dso)).get('/queue')
    assert.doesNotMatch(unnamed.text, /Restricted Person/)
    assert.equal(unnamed.$('caption').text().trim(), '5 concerns waiting, sorted by deadline', 'the count leaves it out too')

    const named = await (await app.signedIn(manager)).get('/queue')
    assert.match(named.text, /Restricted Person/)
    assert.equal(named.$('caption').text().trim(), '6 concerns waiting, sorted by deadline')
    await app.database.db.updateTable('concern').set({ status: 'open', addressed_at: app.clock.now() }).where('id', '=', ids.restricted!).execute()
  })

  it('pages a long queue fifty at a time', async () => {
    const busy = await app.factories.organisation('Busy Council')
    const busyReferrer = await app.factories.user(busy)
    const busyDso = await app.factories.user(busy, ['dso'])
    app.clock.set('2022-12-12T09:00:00Z')
    for (let i = 1; i <= 53; i++) {
      await app.factories.concern(busyReferrer, { personName: `Queued ${String(i).padStart(2, '0')}` })
      app.clock.advanceMinutes(60)
    }
    app.clock.set('2022-12-23T15:00:00Z')
    const client = await app.signedIn(busyDso)
    const first = await client.get('/queue')
    assert.equal(queueRows(first).length, 50)
    assert.equal(first.$('caption').text().trim(), '53 concerns waiting, sorted by deadline')
    assert.equal(first.$('.govuk-pagination__next a').attr('href'), '/queue?page=2')
    const second = await client.get('/queue?page=2')
    assert.deepEqual(
      queueRows(second).map((r) => r.person),
      ['Queued 51', 'Queued 52', 'Queued 53'],
    )
    assert.equal((await client.get('/queue?page=-1')).status, 400)
  })
})
