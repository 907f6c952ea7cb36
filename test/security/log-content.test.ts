import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createLogger } from '../../src/logger.js'
import { loggableError } from '../../src/log-safe-error.js'
import { startTestApp } from '../helpers/app.js'
import { TEST_PASSWORD } from '../helpers/factories.js'
import { discoverForms, visitEveryPage } from './support/crawl.js'
import { fillForm, isFreeText, todayParts } from './support/page-forms.js'
import { submitJourney } from './support/submit.js'
import { buildWorld, type World } from './support/world.js'

/**
 * The application log holds ids, routes and outcomes, never what people typed or who they are
 * (docs/security.md, V14 and G15). The app runs with its real logger at its most talkative level,
 * every free-text field of every form is filled in with a marker, every page is opened by every
 * role, and then nothing personal held in the database — names, emails, narratives, addresses —
 * nor any marker, password or session cookie may appear in a log line.
 */
describe('logs: nothing personal reaches the application log', () => {
  const lines: string[] = []
  let world: World

  before(async () => {
    const collect = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
        done()
      },
    })
    const app = await startTestApp({ now: '2026-03-10T10:00:00Z', logger: createLogger('trace', collect) })
    world = await buildWorld({ app })
  })
  after(() => world?.app.stop())

  it('logs every request by route and status, and no name, email, narrative, marker, password or cookie', async () => {
    const today = todayParts(world.app.clock.now())
    const markers: string[] = []
    for (const { persona, form } of await discoverForms(world)) {
      await persona.client.get(form.page)
      const body = fillForm(form, today, (c) => {
        if (!isFreeText(c)) return undefined
        const marker = `Logmarker${markers.length}Zq`
        markers.push(marker)
        return `${marker} Mrs Quenby of 4 Ashdown Row said her carer shouted at her`
      })
      await submitJourney(persona.client, form, body, today)
    }
    await visitEveryPage(world)
    // A wrong password for a real account, one for an account that does not exist, and a forged post.
    const visitor = world.app.client()
    await visitor.get('/sign-in')
    await visitor.post('/sign-in', { email: world.persona('dso').user.email, password: 'not the password at all' })
    await visitor.post('/sign-in', { email: 'nobody.here@elsewhere.example', password: 'not the password at all' })
    const dso = world.persona('dso').client
    await dso.request('POST', '/account/password', { body: new URLSearchParams({ currentPassword: TEST_PASSWORD, _csrf: 'forged' }) })

    const db = world.app.database.db
    const people = await db.selectFrom('app_user').select(['email', 'display_name as name']).execute()
    const concerns = await sql<{ text: string | null }>`
      SELECT unnest(ARRAY[person_name, person_known_as, person_address, person_postcode, household_members, what_happened]) AS text FROM concern
    `.execute(db)
    const secrets = new Set<string>(['nobody.here@elsewhere.example', 'not the password at all', TEST_PASSWORD, 'Quenby', 'Ashdown Row', 'carer shouted', ...markers, ...world.canaries])
    for (const p of people) secrets.add(p.email).add(p.name)
    for (const c of concerns.rows) for (const part of (c.text ?? '').split(/\r?\n/)) if (part.trim().length >= 6) secrets.add(part.trim())
    // The cookie as sent, and the session id inside it ("s:<id>.<signature>").
    const cookies = world.personas.flatMap((p) => (p.client.sessionCookie ? [p.client.sessionCookie, decodeURIComponent(p.client.sessionCookie).slice(2).split('.')[0]!] : []))
    assert.equal(cookies.length, 2 * world.personas.length)

    const requests = lines.map((l) => JSON.parse(l) as { msg: string; route?: string; status?: number }).filter((l) => l.msg === 'request')
    assert.ok(requests.length >= 500, `request lines logged: ${requests.length}`)
    assert.ok(
      requests.every((r) => typeof r.route === 'string' && typeof r.status === 'number'),
      'each request line has its route and status',
    )
    assert.ok(markers.length >= 10 && people.length >= 10 && concerns.rows.length >= 20, 'the search had something to look for')
    const found = lines.flatMap((line) => [...secrets, ...cookies].filter((s) => line.toLowerCase().includes(s.toLowerCase())).map((s) => `${s} in ${line.slice(0, 300)}`))
    assert.deepEqual(found, [])
  })

  it('withholds the message of a database error that quotes the value it refused', async () => {
    const error = await sql`SELECT ${'Margaret Ellis 28/02/1941'}::date`.execute(world.app.database.db).then(
      () => assert.fail('the database took a name as a date'),
      (e: unknown) => e,
    )
    assert.match(String((error as Error).message), /Margaret Ellis/, 'the database quotes the value (so the test means something)')
    const logged = loggableError(error)
    assert.equal(logged.code, '22007')
    assert.doesNotMatch(JSON.stringify(logged), /Margaret|1941/)
    assert.match(logged.stack ?? '', /^\w+: PostgreSQL data exception/)
    assert.match(logged.stack ?? '', /\n\s+at /, 'the frames are kept')

    const other = loggableError(await sql`SELECT * FROM no_such_table`.execute(world.app.database.db).catch((e: unknown) => e))
    assert.match(other.message, /no_such_table/, 'messages that name tables, not values, are kept')
  })
})
