import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page, TestClient } from '../helpers/client.js'
import { completeConcernForm } from '../helpers/concern-form.js'
import { formsFound, visitEveryPage, type FoundForm } from '../security/support/crawl.js'
import { countChanges, rowCounts } from '../security/support/fingerprint.js'
import { fillForm, formsOn, todayParts, type PageForm } from '../security/support/page-forms.js'
import { buildWorld, type World } from '../security/support/world.js'

const PAIRS = Number(process.env.CONCURRENCY_PAIRS ?? 1000)

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Concurrency: two people saving the same record from the same version — exactly one wins and
 * the other is told, never a silent overwrite (a thousand randomised pairs on the user form, and
 * every other versioned form the pages render); the same form sent ten times at once — one record.
 */
describe('concurrency: no lost updates, no duplicate records', () => {
  let world: World
  let forms: FoundForm[]

  before(async () => {
    world = await buildWorld()
    forms = formsFound(await visitEveryPage(world), { method: 'post' })
  })
  after(() => world?.app.stop())

  it(`keeps exactly one of two simultaneous saves of a user, ${PAIRS} randomised times, and says so to the other`, async () => {
    const next = random(42)
    const first = world.persona('admin').client
    const second = await world.app.signedIn(await world.app.factories.user(world.org, ['admin'], { name: 'Second Administrator' }))
    const target = world.orgRecords.get('a user account')!.find((r) => r.kind === 'team')!.id
    const path = `/admin/users/${target}`
    const form = formsOn(await first.get(path)).find((f) => f.action === path)!
    await second.get(path)
    const base = fillForm(form, todayParts(world.app.clock.now()))
    let version = Number(base.get('version'))
    const outcomes = { first: 0, second: 0, lost: 0, bothRefused: 0 }
    for (let pair = 0; pair < PAIRS; pair++) {
      const names = [`Pair ${pair} first ${Math.floor(next() * 1e6)}`, `Pair ${pair} second ${Math.floor(next() * 1e6)}`]
      const save = async (client: TestClient, name: string, delay: number): Promise<Page> => {
        if (delay) await pause(delay)
        const body = new URLSearchParams(base)
        body.set('displayName', name)
        body.set('version', String(version))
        body.set('_csrf', client.lastCsrfToken!)
        return client.request('POST', path, { body })
      }
      // Random order and a random head start of up to 3 ms.
      const [a, b] = next() < 0.5 ? [0, Math.floor(next() * 4)] : [Math.floor(next() * 4), 0]
      const [one, two] = await Promise.all([save(first, names[0]!, a), save(second, names[1]!, b)])
      const saved = await world.app.database.db.selectFrom('app_user').select(['display_name', 'version']).where('id', '=', target).executeTakeFirstOrThrow()
      const wins = [one, two].map((p) => p.status === 303)
      if (wins[0] && wins[1]) outcomes.lost++
      else if (wins[0]) outcomes.first++
      else if (wins[1]) outcomes.second++
      else outcomes.bothRefused++
      const winner = wins[0] ? names[0] : wins[1] ? names[1] : undefined
      if (winner && saved.display_name !== winner) outcomes.lost++
      for (const [i, p] of [one, two].entries()) if (!wins[i] && (p.status !== 409 || !/changed since you opened it/i.test(p.text))) assert.fail(`pair ${pair}: the losing save answered ${p.status}, not the "changed since you opened it" page`)
      version = saved.version
    }
    console.log(`concurrency: ${PAIRS} pairs of simultaneous saves — first won ${outcomes.first}, second won ${outcomes.second}, both refused ${outcomes.bothRefused}, lost updates ${outcomes.lost}`)
    assert.equal(outcomes.lost, 0, 'lost updates')
    assert.equal(outcomes.bothRefused, 0, 'one of each pair wins')
  })

  it('never accepts two saves from the same version on any versioned form', async () => {
    const versioned = forms.filter((f) => f.form.controls.some((c) => c.name === 'version' && c.kind === 'hidden'))
    assert.ok(versioned.length >= 5, `versioned forms found: ${versioned.length}`)
    const problems: string[] = []
    const today = todayParts(world.app.clock.now())
    for (const { persona, form } of versioned) {
      // Another person with the same roles (the same person twice is a double click, which is allowed to repeat itself).
      const other = await world.app.signedIn(await world.app.factories.user(world.org, persona.roles, { name: `Colleague of ${persona.label}` }))
      for (let pair = 0; pair < 5; pair++) {
        const page = await persona.client.get(form.page)
        const fresh = formsOn(page).find((f) => f.action === form.action && f.controls.some((c) => c.name === 'version'))
        if (!fresh) break // the form has gone (the record moved on): nothing left to race
        await other.get(form.page)
        const post = (client: TestClient) => {
          const body = fillForm(fresh, today)
          body.set('_csrf', client.lastCsrfToken!)
          return client.request('POST', fresh.action, { body })
        }
        const answers = await Promise.all([post(persona.client), post(other)])
        if (answers.every((p) => p.status === 303)) problems.push(`${form.action} as ${persona.label}: both saves from version ${fresh.controls.find((c) => c.name === 'version')!.value} were accepted`)
        if (answers.some((p) => p.status >= 500)) problems.push(`${form.action}: ${answers.map((p) => p.status).join(', ')}`)
      }
    }
    assert.deepEqual(problems, [])
    console.log(`concurrency: ${versioned.length} versioned forms raced in pairs; never two saves from one version`)
  })

  /** Sends the form `times` times at once with the same submission key; returns the rows added per table. */
  async function sendAtOnce(client: TestClient, form: PageForm, times: number): Promise<{ answers: number[]; added: string[] }> {
    const before = await rowCounts(world.app.database.db)
    const body = fillForm(form, todayParts(world.app.clock.now()))
    body.set('_csrf', client.lastCsrfToken!)
    const answers = await Promise.all(Array.from({ length: times }, () => client.request('POST', form.action, { body: new URLSearchParams(body) })))
    return { answers: answers.map((a) => a.status), added: countChanges(before, await rowCounts(world.app.database.db), ['audit_event', 'audit_chain_head', 'notification', 'email_outbox']) }
  }

  it('creates one record when the same form is sent ten times at once, on every form that creates records', async () => {
    const problems: string[] = []
    const keyed = forms.filter((f) => f.form.controls.some((c) => c.name === 'submissionKey'))
    // The concern form's last step ("check your answers") holds its key; it is reached by
    // answering the form first, as a person would.
    const staff = world.persona('staff')
    const checkForm = async (): Promise<PageForm | undefined> => {
      await staff.client.get('/concerns/new')
      await staff.client.post('/concerns/new', completeConcernForm(world.org))
      return formsOn(await staff.client.get('/concerns/new/check')).find((f) => f.action === '/concerns/new/check')
    }
    const targets: { persona: FoundForm['persona']; action: string; load: () => Promise<PageForm | undefined> }[] = [
      { persona: staff, action: '/concerns/new/check', load: checkForm },
      ...keyed.map(({ persona, form }) => ({
        persona,
        action: form.action,
        load: async () => formsOn(await persona.client.get(form.page)).find((f) => f.action === form.action && f.controls.some((c) => c.name === 'submissionKey')),
      })),
    ]
    const normalise = (changes: string[]) => changes.map((c) => c.replace(/: (\d+) → (\d+)/, (_, a, b) => `: +${Number(b) - Number(a)}`)).sort()
    let checked = 0
    for (const { persona, action, load } of targets) {
      // Once alone (what one submission adds), then ten at once with a new key.
      const first = await load()
      if (!first) continue
      const once = await sendAtOnce(persona.client, first, 1)
      if (once.answers[0]! >= 400) continue // the form needs more than a careful person types: nothing to compare
      const again = await load()
      if (!again) continue
      const ten = await sendAtOnce(persona.client, again, 10)
      if (ten.answers.some((s) => s >= 500)) problems.push(`${action}: ${ten.answers.join(', ')}`)
      if (JSON.stringify(normalise(ten.added)) !== JSON.stringify(normalise(once.added))) problems.push(`${action}: ten at once added ${JSON.stringify(normalise(ten.added))}, one alone ${JSON.stringify(normalise(once.added))}`)
      checked++
    }
    assert.deepEqual(problems, [])
    assert.ok(checked >= 3, `forms checked: ${checked}`)
    console.log(`concurrency: ${checked} forms that create records sent ten times at once; each added what one submission adds`)
  })
})
