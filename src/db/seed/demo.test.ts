import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { computeDeadline } from '../../domain/working-days.js'
import { DEFAULT_REFERRING_SERVICES } from '../../domain/reference-lists.js'
import { startTestApp, TEST_CHAIN_KEY, type TestApp } from '../../../test/helpers/app.js'
import { buildDemoPlan, DEMO_DOMAIN, DEMO_PASSWORD, financialYearOf } from './demo-plan.js'
import { demoAccounts, seedDemo } from './demo.js'

const NOW = new Date('2026-03-09T10:15:00Z')

function bankHolidays(): Set<string> {
  const file = path.join(import.meta.dirname, '..', 'reference', 'bank-holidays-england-and-wales.json')
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { events: { date: string }[] }
  return new Set(data.events.map((e) => e.date))
}

describe('the demo council', () => {
  const calendar = bankHolidays()
  const plan = buildDemoPlan(NOW, calendar)

  it('is the same every time it is built', () => {
    assert.deepEqual(buildDemoPlan(NOW, calendar), plan)
  })

  it('matches the published volumes: 125 concerns received in 2021-22 and 130 in 2022-23, from all ten services', () => {
    const receivedIn = (fy: number) => plan.concerns.filter((c) => financialYearOf(c.receivedAt) === fy)
    assert.equal(receivedIn(2021).length, 125)
    assert.equal(receivedIn(2022).length, 130)
    assert.deepEqual(new Set(receivedIn(2022).map((c) => c.service)), new Set(DEFAULT_REFERRING_SERVICES))
    assert.ok(receivedIn(2025).length > 100, 'the current year so far has concerns too')
    assert.ok(
      plan.concerns.every((c) => c.receivedAt.getTime() <= NOW.getTime()),
      'nothing received in the future',
    )
  })

  it('has about twelve DSOs, a manager, a senior lead officer, an auditor, an administrator and about sixty other staff', () => {
    const withRole = (role: string) => plan.users.filter((u) => (u.roles as string[]).includes(role))
    const dsosOnly = plan.users.filter((u) => u.roles.length === 1 && u.roles[0] === 'dso')
    assert.equal(dsosOnly.length, 12)
    assert.equal(withRole('safeguarding_manager').length, 1)
    assert.equal(withRole('senior_lead_officer').length, 1)
    assert.equal(withRole('auditor').length, 1)
    assert.equal(withRole('admin').length, 1)
    const staff = plan.users.filter((u) => u.roles.length === 0)
    assert.ok(staff.length >= 50 && staff.length <= 70, `${staff.length} other staff`)
    assert.ok(plan.users.every((u) => u.email.endsWith(`@${DEMO_DOMAIN}`)), 'only invented addresses')
    assert.equal(new Set(plan.users.map((u) => u.email)).size, plan.users.length, 'one account per address')
  })

  it('gives every concern the deadline the rule gives it, some still waiting and one overdue', () => {
    for (const c of plan.concerns) assert.equal(c.dueAt.getTime(), computeDeadline(c.receivedAt, { targetDays: 2 }, calendar).getTime())
    const waiting = plan.concerns.filter((c) => c.status === 'submitted')
    assert.ok(waiting.length >= 3)
    assert.equal(waiting.filter((c) => c.dueAt.getTime() < NOW.getTime()).length, 1)
    const addressed = plan.concerns.filter((c) => c.addressedAt)
    assert.ok(addressed.every((c) => c.addressedAt! > c.receivedAt && c.addressedAt! <= c.dueAt), 'addressed within the target, after receipt')
    const kinds = new Set(plan.concerns.map((c) => c.atRisk))
    assert.deepEqual([...kinds].sort(), ['adult', 'child', 'household', 'unborn'])
  })

  describe('loaded into a database', () => {
    let app: TestApp

    before(async () => {
      app = await startTestApp({ now: NOW })
      await seedDemo(app.database.db, NOW, TEST_CHAIN_KEY)
    })
    after(() => app.stop())

    it('holds what the plan says', async () => {
      const concerns = await app.database.db.selectFrom('concern').select(['reference', 'due_at']).orderBy('received_at').execute()
      assert.equal(concerns.length, plan.concerns.length)
      assert.equal(concerns[0]!.reference, 'SG-2021-00001')
      const users = await app.database.db.selectFrom('app_user').select('id').execute()
      assert.equal(users.length, plan.users.length)
      await assert.rejects(seedDemo(app.database.db, NOW, TEST_CHAIN_KEY), /already holds an organisation/, 'never loaded twice')
    })

    it('lets each printed demo account sign in with the printed password', async () => {
      const { password, accounts } = demoAccounts()
      assert.equal(password, DEMO_PASSWORD)
      assert.deepEqual(
        accounts.map((a) => a.role),
        ['Staff member (referrer)', 'Designated Safeguarding Officer', 'Safeguarding manager (and DSO)', 'Senior Lead Officer', 'Auditor', 'Administrator'],
      )
      for (const account of accounts) {
        const client = app.client()
        await client.get('/sign-in')
        const signedIn = await client.post('/sign-in', { email: account.email, password })
        assert.equal(signedIn.status, 303, account.email)
        assert.equal(signedIn.location, '/', `${account.email} goes straight in`)
        const home = await client.get('/')
        assert.equal(home.status, 200, account.email)
      }
    })

    it('shows the DSO a queue with the waiting concerns, the overdue one first', async () => {
      const dso = demoAccounts().accounts.find((a) => a.role === 'Designated Safeguarding Officer')!
      const client = app.client()
      await client.get('/sign-in')
      await client.post('/sign-in', { email: dso.email, password: DEMO_PASSWORD })
      const queue = await client.get('/queue')
      assert.equal(queue.status, 200)
      const rows = queue.$('table.kestrel-queue tbody tr')
      assert.equal(rows.length, plan.concerns.filter((c) => c.status === 'submitted').length)
      assert.ok(rows.first().hasClass('kestrel-row--overdue'))
    })
  })
})
