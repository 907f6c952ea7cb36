import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { caseTeam, openCase, type CaseTeam } from '../../../../test/helpers/casework.js'
import { errorSummary, headingText, type TestClient } from '../../../../test/helpers/client.js'
import { auditRowsAfter, lastAuditSeq } from '../../../../test/helpers/records.js'
import { allocateAs } from '../../../../test/helpers/triage.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { newId } from '../../../ids.js'
import { createMeeting } from '../../../services/case-review.js'

describe('restricted cases and break glass', () => {
  let app: TestApp
  let org: TestOrganisation
  let team: CaseTeam
  let restricted: string
  let restrictedRef: string
  let waiting: string
  let open: string
  let managerTwo: TestUser
  let sloTwo: TestUser
  const secretName = 'Quentin Staffmember'

  async function restrict(client: TestClient, id: string, named: TestUser[]) {
    const page = await client.get(`/concerns/${id}/access`)
    return client.post(`/concerns/${id}/access`, { restricted: 'yes', userIds: named.map((u) => u.id), reason: 'A member of staff is the alleged person responsible.', version: page.$('input[name="version"]').attr('value')! })
  }

  before(async () => {
    app = await startTestApp({ now: '2026-03-10T09:00:00Z' })
    org = await app.factories.organisation()
    team = await caseTeam(app, org)
    managerTwo = await app.factories.user(org, ['safeguarding_manager'], { name: 'Mo Othermanager' })
    sloTwo = await app.factories.user(org, ['senior_lead_officer'], { name: 'Sol Othersenior' })
    restricted = await openCase(app, team, { personName: secretName })
    restrictedRef = (await app.database.db.selectFrom('concern').select('reference').where('id', '=', restricted).executeTakeFirstOrThrow()).reference
    open = await openCase(app, team)
    waiting = (await app.factories.concern(team.referrer, { personName: `${secretName} Junior` })).id
    await allocateAs(app, team.manager, waiting, team.lead, team.second)
    const manager = await app.signedIn(team.manager)
    await manager.get(`/concerns/${restricted}/people`)
    await manager.post(`/concerns/${restricted}/people/new`, { fromReferral: 'yes' })
    assert.equal((await restrict(manager, restricted, [team.lead, team.second, team.slo])).status, 303)
    assert.equal((await restrict(manager, waiting, [team.lead, team.second])).status, 303)
  })
  after(() => app.stop())

  it('keeps a restricted case out of every page for people not named on it: case, tabs, lists, search, counts, person index', async () => {
    const person = (await app.database.db.selectFrom('person').select('id').where('name', '=', secretName).executeTakeFirstOrThrow()).id
    for (const user of [team.otherDso, managerTwo, team.auditor, sloTwo]) {
      const client = await app.signedIn(user)
      for (const tab of ['', '/people', '/notes', '/tasks', '/documents', '/chronology', '/chronology/print', '/reviews', '/referrals', '/closure']) {
        const page = await client.get(`/concerns/${restricted}${tab}`)
        assert.equal(page.status, 404, `${user.displayName} ${tab || 'summary'}`)
        assert.doesNotMatch(page.text, new RegExp(secretName))
      }
      assert.equal((await client.get(`/people/${person}`)).status, 404)
      const all = await client.get('/cases?status=all')
      assert.doesNotMatch(all.text, new RegExp(`${restrictedRef}|${secretName}`))
      assert.match(all.$('caption').text(), /^1 case,/, 'counted without the restricted cases')
      for (const q of [restrictedRef, 'Quentin']) {
        const sent = await client.post('/cases', { q, status: 'all' })
        assert.equal(sent.location, '/cases?status=all', 'what was searched for stays out of the URL')
        const search = await client.follow(sent)
        assert.match(search.text, /No cases match/, `search for ${q}`)
      }
      await client.post('/cases', { clear: 'yes', status: 'all' })
    }
    const dso = await app.signedIn(team.otherDso)
    // Each refusal looks like a missing page, yet leaves a trace of who asked for which case.
    const probes = await app.database.db.selectFrom('audit_event').select(['outcome', 'details']).where('actor_user_id', '=', team.otherDso.id).where('action', '=', 'access.not-found').execute()
    assert.equal(probes.length, 11, 'ten case tabs and the person page')
    assert.ok(probes.every((p) => p.outcome === 'denied'))
    assert.deepEqual(probes[0]!.details, { method: 'GET', route: '/concerns/:id', ids: { id: restricted } })
    const queue = await dso.get('/queue')
    assert.doesNotMatch(queue.text, new RegExp(secretName))
    const home = await dso.get('/')
    assert.match(home.text, /New concerns waiting to be addressed<\/a> \(0\)/)
  })

  it('shows it to the people named on it, marked restricted, and counts it for them', async () => {
    // The Senior Lead Officer is named on one of the two restricted cases; the Lead and the manager on both.
    for (const [user, count] of [[team.lead, 3], [team.slo, 2], [team.manager, 3]] as const) {
      const client = await app.signedIn(user)
      const page = await client.get(`/concerns/${restricted}/notes`)
      assert.equal(page.status, 200)
      assert.match(page.$('.kestrel-identity-bar').text(), /Restricted/)
      const all = await client.get('/cases?status=all')
      assert.match(all.text, new RegExp(restrictedRef))
      const found = await client.follow(await client.post('/cases', { q: 'quentin', status: 'all' }))
      assert.match(found.$('tbody').text(), new RegExp(`${restrictedRef}[\\s\\S]*${secretName}`), 'found by name by the people named on it')
      await client.post('/cases', { clear: 'yes', status: 'all' })
      assert.match(all.$('caption').text(), new RegExp(`^${count} cases,`))
    }
    const lead = await app.signedIn(team.lead)
    assert.match((await lead.get('/')).text, /New concerns waiting to be addressed<\/a> \(1\)/)
  })

  it('leaves it off the weekly agenda of a manager not named on it, and off their view of anyone’s agenda', async () => {
    const theirs = await createMeeting(app.server.deps, app.factories.context(managerTwo), { meetingDate: '2026-03-10', attendeeIds: [managerTwo.id], submissionKey: newId() })
    assert.equal(theirs.kind, 'done')
    const items = await app.database.db.selectFrom('review_item').select('concern_id').where('meeting_id', '=', theirs.kind === 'done' ? theirs.id! : '').execute()
    assert.deepEqual(items.map((i) => i.concern_id), [open])
    // A named manager's agenda has it; others neither see its line nor count it.
    const named = await createMeeting(app.server.deps, app.factories.context(team.manager), { meetingDate: '2026-03-11', attendeeIds: [team.manager.id], submissionKey: newId() })
    const namedId = named.kind === 'done' ? named.id! : ''
    const casesOn = async (client: TestClient) => {
      const list = await client.get('/reviews')
      return list.$('tbody tr').filter((_, el) => list.$(el).text().includes('11 March 2026')).find('td').eq(1).text().trim()
    }
    const unnamedClient = await app.signedIn(managerTwo)
    assert.equal(await casesOn(await app.signedIn(team.manager)), '2')
    assert.equal(await casesOn(unnamedClient), '1')
    const agenda = await unnamedClient.get(`/reviews/${namedId}`)
    assert.doesNotMatch(agenda.text, new RegExp(`${restrictedRef}|${secretName}`))
  })

  it('lets a manager not named on it open it only by giving a reason: the Senior Lead Officers are told and it is audited', async () => {
    const dso = await app.signedIn(team.otherDso)
    assert.equal((await dso.get('/break-glass')).status, 403, 'DSOs cannot break glass')
    const manager = await app.signedIn(managerTwo)
    await manager.get('/break-glass')
    const noReason = await manager.post('/break-glass', { reference: restrictedRef, reason: '' })
    assert.equal(noReason.status, 400)
    assert.deepEqual(errorSummary(noReason), ['Enter why you need to open this case'])
    const unknown = await manager.post('/break-glass', { reference: 'SG-2026-99999', reason: 'Urgent' })
    assert.deepEqual(errorSummary(unknown), ['There is no case with that reference'])
    const seq = await lastAuditSeq(app.database.db, org.id)
    const opened = await manager.post('/break-glass', { reference: restrictedRef.toLowerCase(), reason: 'Police need the chronology tonight; the named managers are on leave.' })
    assert.equal(opened.status, 303)
    assert.equal(opened.location, `/concerns/${restricted}`)
    const summary = await manager.follow(opened)
    assert.equal(summary.status, 200)
    assert.match(summary.text, /You have opened a restricted case for 60 minutes/)
    assert.equal((await manager.get(`/concerns/${restricted}/referrals`)).status, 200)
    const notes = await manager.get(`/concerns/${restricted}/notes`)
    assert.equal(notes.status, 200)
    assert.match(notes.text, new RegExp(secretName))
    const audit = (await auditRowsAfter(app.database.db, org.id, seq)).find((r) => r.action === 'concern.break-glass')!
    assert.equal(audit.record_id, restricted)
    const row = await app.database.db.selectFrom('break_glass_access').select(['id', 'reason', 'user_id']).executeTakeFirstOrThrow()
    assert.equal(audit.details.break_glass_id, row.id, 'the audit row names the access record that holds the reason')
    assert.equal(row.reason, 'Police need the chronology tonight; the named managers are on leave.')
    for (const slo of [team.slo, sloTwo]) {
      const notice = await app.database.db.selectFrom('notification').select('text').where('user_id', '=', slo.id).where('kind', '=', 'break_glass').executeTakeFirstOrThrow()
      assert.match(notice.text, new RegExp(`Mo Othermanager opened restricted case ${restrictedRef}`))
    }
    assert.doesNotMatch((await manager.get('/cases?status=all')).text, new RegExp(restrictedRef), 'breaking glass opens the case, not the lists')
    const log = await (await app.signedIn(sloTwo)).get('/break-glass/log')
    assert.match(log.$('tbody').text(), new RegExp(`Mo Othermanager[\\s\\S]*${restrictedRef}[\\s\\S]*Police need the chronology tonight`))
    const viewers = await (await app.signedIn(team.manager)).get(`/concerns/${restricted}/viewers`)
    assert.match(viewers.text, /Opened it by breaking glass/)
  })

  it('closes the glass again after an hour', async () => {
    app.clock.advanceMinutes(61)
    const manager = await app.signedIn(managerTwo)
    assert.equal((await manager.get(`/concerns/${restricted}/notes`)).status, 404)
    assert.equal((await manager.get(`/concerns/${restricted}`)).status, 404)
  })

  it('gives the second of two managers changing access the "changed since you opened it" page', async () => {
    const a = await app.signedIn(team.manager)
    const b = await app.signedIn(managerTwo)
    const pageA = await a.get(`/concerns/${open}/access`)
    const pageB = await b.get(`/concerns/${open}/access`)
    assert.equal((await a.post(`/concerns/${open}/access`, { restricted: 'yes', userIds: [team.lead.id, managerTwo.id], reason: 'Staff member involved.', version: pageA.$('input[name="version"]').attr('value')! })).status, 303)
    const late = await b.post(`/concerns/${open}/access`, { restricted: 'no', reason: 'Not needed.', version: pageB.$('input[name="version"]').attr('value')! })
    assert.equal(late.status, 409)
    assert.equal(headingText(late), 'This case changed since you opened it')
    const lifted = await a.get(`/concerns/${open}/access`)
    const lift = await a.post(`/concerns/${open}/access`, { restricted: 'no', reason: 'Confirmed not a staff member.', version: lifted.$('input[name="version"]').attr('value')! })
    assert.equal(lift.status, 303)
    assert.equal((await b.get(`/concerns/${open}/notes`)).status, 200, 'visible to the team again')
    const named = await app.database.db.selectFrom('concern_access').select('user_id').where('concern_id', '=', open).execute()
    assert.deepEqual(named, [])
  })

  it('lets only managers restrict', async () => {
    const lead = await app.signedIn(team.lead)
    assert.equal((await lead.get(`/concerns/${open}/access`)).status, 403)
  })
})
