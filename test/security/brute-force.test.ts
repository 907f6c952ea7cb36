import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { errorSummary, type Page } from '../helpers/client.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'
import { normaliseBody } from './support/app-routes.js'

/**
 * Password guessing at scale: 100 wrong passwords for one account (from one address and from
 * a hundred), and 100 spread across accounts. Guessing is throttled, the answers never say
 * whether an account exists (same status, same message, same page), and every attempt is
 * audited. Timing is measured by `npm run bench`, not asserted here.
 */
describe('brute force: password guessing is throttled, audited and tells nothing', () => {
  let app: TestApp
  let org: TestOrganisation
  let victims: TestUser[]

  before(async () => {
    // Behind a proxy, so a test can come from many addresses (X-Forwarded-For).
    app = await startTestApp({ now: '2026-03-09T08:00:00Z', config: { trustProxy: 'loopback' } })
    org = await app.factories.organisation()
    victims = []
    for (let i = 0; i < 25; i++) victims.push(await app.factories.user(org, [], { email: `victim${i}@brute.example` }))
  })
  after(() => app?.stop())

  async function attempt(email: string, password: string, address = '203.0.113.7'): Promise<Page> {
    const client = app.client()
    const page = await client.request('GET', '/sign-in', { headers: { 'x-forwarded-for': address } })
    const token = page.$('input[name="_csrf"]').attr('value')!
    return client.request('POST', '/sign-in', { body: new URLSearchParams({ email, password, _csrf: token }), headers: { 'x-forwarded-for': address } })
  }

  /** What a guesser learns from an answer: status, message and the page, with the typed email taken out. */
  function answer(page: Page, email: string): string {
    return `${page.status} ${errorSummary(page).join('|')} ${normaliseBody(page.text).replaceAll(email, '<email>')}`
  }

  async function signInAudits(requestIds: string[]) {
    return app.database.db.selectFrom('audit_event').select(['action', 'outcome', 'details', 'record_id']).where('request_id', 'in', requestIds).execute()
  }

  it('throttles 100 wrong passwords for one account, from one address or from a hundred, and audits each', async () => {
    for (const [label, address] of [
      ['one address', () => '203.0.113.7'],
      ['a hundred addresses', (i: number) => `198.51.100.${i + 1}`],
    ] as const) {
      app.clock.advanceMinutes(20)
      const victim = label === 'one address' ? victims[0]! : victims[1]!
      const statuses: number[] = []
      const requestIds: string[] = []
      for (let i = 0; i < 100; i++) {
        const page = await attempt(victim.email, `guess number ${i}`, address(i))
        statuses.push(page.status)
        requestIds.push(page.headers.get('x-request-id')!)
      }
      assert.deepEqual(statuses.slice(0, 5), [400, 400, 400, 400, 400], `${label}: the first five are ordinary failures`)
      assert.ok(statuses.slice(5).every((s) => s === 429), `${label}: every later guess is throttled`)
      const right = await attempt(victim.email, victim.password, address(100))
      assert.equal(right.status, 429, `${label}: even the right password is held back while throttled`)
      const audits = await signInAudits(requestIds)
      assert.equal(audits.length, 100, `${label}: every attempt audited`)
      assert.deepEqual(
        audits.map((a) => `${a.outcome} ${(a.details as { reason: string }).reason}`).sort(),
        [...Array(5).fill('failure wrong_password'), ...Array(95).fill('denied throttled')].sort(),
      )
      assert.doesNotMatch(JSON.stringify(audits), /guess number/, 'no password reaches the audit log')
      console.log(`brute force (${label}): 100 guesses → ${statuses.filter((s) => s === 400).length} failures, ${statuses.filter((s) => s === 429).length} throttled, 100 audited`)
    }
  })

  it('throttles 100 guesses spread across 20 accounts from one address', async () => {
    app.clock.advanceMinutes(20)
    const statuses: number[] = []
    const requestIds: string[] = []
    for (let i = 0; i < 100; i++) {
      const page = await attempt(victims[5 + (i % 20)]!.email, `spread guess ${i}`, '192.0.2.55')
      statuses.push(page.status)
      requestIds.push(page.headers.get('x-request-id')!)
    }
    const throttledFrom = statuses.indexOf(429)
    assert.ok(throttledFrom > 0 && throttledFrom <= 50, `throttled by the 51st guess (first at ${throttledFrom + 1})`)
    assert.ok(statuses.slice(throttledFrom).every((s) => s === 429), 'and from then on')
    assert.equal((await signInAudits(requestIds)).length, 100, 'every attempt audited')
    // Someone else, elsewhere, is not locked out by it.
    app.clock.advanceMinutes(1)
    const elsewhere = await attempt(victims[24]!.email, victims[24]!.password, '192.0.2.99')
    assert.equal(elsewhere.status, 303)
    console.log(`brute force (spread): 100 guesses over 20 accounts → throttled from guess ${throttledFrom + 1}`)
  })

  it('answers an unknown address exactly as a known one, attempt for attempt, failing and throttled', async () => {
    app.clock.advanceMinutes(20)
    const known = victims[2]!
    const unknown = 'nobody.at.all@brute.example'
    const differences: string[] = []
    for (let i = 0; i < 8; i++) {
      const a = await attempt(known.email, `wrong ${i}`, '203.0.113.20')
      const b = await attempt(unknown, `wrong ${i}`, '203.0.113.21')
      if (answer(a, known.email) !== answer(b, unknown)) differences.push(`attempt ${i + 1}: ${a.status} vs ${b.status}`)
    }
    assert.deepEqual(differences, [])
    // A deactivated account answers as a wrong password does.
    await app.database.db.updateTable('app_user').set({ active: false }).where('id', '=', victims[3]!.id).execute()
    const inactive = await attempt(victims[3]!.email, victims[3]!.password, '203.0.113.22')
    const wrong = await attempt(victims[4]!.email, 'not it', '203.0.113.23')
    assert.equal(answer(inactive, victims[3]!.email), answer(wrong, victims[4]!.email))
  })
})
