import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { auditRowHash } from '../../src/domain/audit-hash.js'
import type { RouteSpec } from '../../src/routing.js'
import { verifyChain } from '../../src/services/audit-verify.js'
import type { Page, TestClient } from '../helpers/client.js'
import { TEST_CHAIN_KEY, TEST_KEYRING } from '../helpers/app.js'
import { appendOnlyRefusal, engineName } from '../helpers/database.js'
import { AUDIT_STEPS, type AuditStep, type StepContext } from './audit-script.js'
import { isPublic, label, mayUse, routesOf } from './support/app-routes.js'
import { installAuditFaults, withAuditFault, type AuditFault } from './support/audit-faults.js'
import { contentHash } from './support/fingerprint.js'
import { fillForm, formsOn, todayParts } from './support/page-forms.js'
import { visiblePaths } from './support/route-records.js'
import { buildWorld, type Persona, type World } from './support/world.js'

/**
 * The audit trail as a whole: a scripted session performing every action the app has (the steps
 * in audit-script.ts, which must cover every route) writes exactly the expected audit events, in
 * order, with no duplicates. Each action that writes audit rows is first tried with the audit
 * write made to fail — at the insert, and at COMMIT — and must then leave nothing behind at all:
 * never the change without its audit row, nor the reverse. Then the append-only trigger and the
 * hash chain: the application cannot change or remove a row, and `audit verify` finds tampering.
 */
describe('audit: every action writes exactly its audit events, atomically', () => {
  let world: World

  before(async () => {
    world = await buildWorld()
    // Faults are switched on and off by the tables' owner: the application's role may not add triggers.
    await installAuditFaults(world.app.database.owner)
  })
  after(() => world?.app.stop())

  it('has a step for every route in the app', () => {
    const stepped = new Set(AUDIT_STEPS.map((s) => s.route))
    const missing = routesOf(world.app).map(label).filter((r) => !stepped.has(r))
    assert.deepEqual(missing, [], 'routes with no audit step: add their expected events to test/security/audit-script.ts')
    const unknown = AUDIT_STEPS.map((s) => s.route).filter((r) => !routesOf(world.app).some((route) => label(route) === r))
    assert.deepEqual(unknown, [], 'steps for routes the app no longer has')
  })

  function routeOf(step: AuditStep): RouteSpec {
    const route = routesOf(world.app).find((r) => label(r) === step.route)
    if (!route) throw new Error(`No route ${step.route}`)
    return route
  }

  function personaFor(step: AuditStep, route: RouteSpec): Persona | undefined {
    if (step.as === 'signed out' || isPublic(route)) return undefined
    return step.as ? world.persona(step.as) : world.personas.find((p) => mayUse(p, route))
  }

  function pathFor(step: AuditStep, route: RouteSpec, persona: Persona | undefined): string {
    if (!persona || !route.path.includes(':')) return route.path
    const options = visiblePaths(route, step.recordOf ? world.persona(step.recordOf) : persona, world)
    const chosen = step.record ? options.find((o) => `${o.record?.kind} ${o.record?.state}`.includes(step.record!)) : options[0]
    if (!chosen) throw new Error(`${step.route}: no ${step.record} record for ${persona.label}`)
    return chosen.path
  }

  /** The page holding the form that posts to `path`: the path itself, or a page above it. */
  async function formFor(client: TestClient, path: string, formOn?: string) {
    const candidates = formOn ? [formOn] : [path]
    for (let p = path; p.lastIndexOf('/') > 0; ) candidates.push((p = p.slice(0, p.lastIndexOf('/'))))
    for (const candidate of candidates) {
      const page = await client.get(candidate)
      const form = formsOn(page).find((f) => f.method === 'post' && f.action === path)
      if (form) return form
    }
    return undefined
  }

  /** Runs one step; `act` wraps its acting request. */
  async function perform(step: AuditStep, act: StepContext['act']): Promise<Page> {
    const route = routeOf(step)
    const persona = personaFor(step, route)
    const client = persona?.client ?? world.app.client()
    const path = pathFor(step, route, persona)
    if (step.perform) return step.perform({ world, client, path, act })
    if (route.method === 'get') {
      const page = await act(() => client.get(path))
      if (page.status !== 400) return page
      // A download or list reached by a link with its query (a period, a format).
      const url = await linkTo(client, path)
      return url ? act(() => client.get(url)) : page
    }
    const form = await formFor(client, path, step.formOn?.(path))
    if (!form) throw new Error(`${step.route}: no form posting to ${path} on its page or the pages above it; give the step a perform()`)
    const fields = (await step.fields?.(world)) ?? {}
    const body = fillForm(form, todayParts(world.app.clock.now()), (c) => fields[c.name] ?? (step.leaveEmpty?.test(c.name) ? '' : undefined))
    for (const [k, v] of Object.entries(fields)) if (!body.has(k)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
    body.set('_csrf', client.lastCsrfToken ?? '')
    return act(() => client.request('POST', path, { body }))
  }

  /**
   * Pages such as downloads are reached by a link that carries their query (a period, a format):
   * the first such link on the pages above, if there is one.
   */
  async function linkTo(client: TestClient, path: string, depth = 0): Promise<string | undefined> {
    if (depth > 2) return undefined
    for (let p = path; p.lastIndexOf('/') > 0; ) {
      p = p.slice(0, p.lastIndexOf('/')) || '/'
      // The page above may itself need its query: reach it by its own link first.
      let page = await client.get(p)
      if (page.status === 400) page = await client.get((await linkTo(client, p, depth + 1)) ?? p)
      const href = page.$('a[href]').map((_, a) => page.$(a).attr('href')!).get().find((h) => h.startsWith(`${path}?`))
      if (href) return href
    }
    return undefined
  }

  async function eventsOf(page: Page): Promise<string[]> {
    const requestId = page.headers.get('x-request-id')
    const rows = await world.app.database.db.selectFrom('audit_event').select(['action', 'seq']).where('request_id', '=', requestId).orderBy('organisation_id').orderBy('seq').execute()
    return rows.map((r) => r.action)
  }

  it('performs every action once, writing exactly its audit events — and nothing at all when the audit write fails', async () => {
    const db = world.app.database.db
    const problems: string[] = []
    let faultRuns = 0
    let events = 0
    for (const step of AUDIT_STEPS) {
      const route = routeOf(step)
      const ok = step.ok ?? (route.method === 'get' ? 200 : 303)
      try {
        if (step.events.length) {
          const modes: AuditFault[] = route.method === 'post' ? ['insert', 'commit'] : ['insert']
          for (const mode of modes) {
            let before = ''
            let after = ''
            const page = await perform(step, async (request) => {
              before = await contentHash(db)
              const response = await withAuditFault(world.app.database.owner, mode, request)
              after = await contentHash(db)
              return response
            })
            faultRuns++
            if (page.status !== 500) problems.push(`${step.route} with the audit failing at ${mode}: answered ${page.status}, not 500`)
            if (before !== after) problems.push(`${step.route} with the audit failing at ${mode}: the database changed`)
          }
        }
        const page = await perform(step, (request) => request())
        if (page.status !== ok) {
          const errors = page.$('.govuk-error-summary li').map((_, e) => page.$(e).text().trim()).get()
          problems.push(`${step.route}: answered ${page.status} ${page.location ?? ''} (expected ${ok}) ${errors.join('; ')} ${page.$('h1').first().text().trim()}`)
          continue
        }
        const written = await eventsOf(page)
        events += written.length
        if (JSON.stringify(written) !== JSON.stringify(step.events)) problems.push(`${step.route}: wrote ${JSON.stringify(written)}, expected ${JSON.stringify(step.events)}`)
      } catch (error) {
        problems.push(`${step.route}: ${(error as Error).message}`)
      }
    }
    assert.deepEqual(problems, [])
    console.log(`audit: ${AUDIT_STEPS.length} steps (every route), ${events} audit events exactly as expected; ${faultRuns} runs with the audit write failing left nothing behind`)
  })

  it('refuses to update, delete or truncate audit rows, for the application’s own connection', async () => {
    const db = world.app.database.db
    const row = await db.selectFrom('audit_event').select(['organisation_id', 'seq']).where('organisation_id', '=', world.org.id).orderBy('seq').executeTakeFirstOrThrow()
    // On PostgreSQL the application's role lacks the privileges; on the embedded engine the trigger refuses.
    const refused = (op: string) => (engineName === 'PostgreSQL' ? appendOnlyRefusal('audit_event') : new RegExp(`append-only \\(${op} refused\\)`))
    await assert.rejects(db.updateTable('audit_event').set({ action: 'nothing.happened' }).where('organisation_id', '=', row.organisation_id).where('seq', '=', row.seq).execute(), refused('UPDATE'))
    await assert.rejects(db.deleteFrom('audit_event').where('organisation_id', '=', row.organisation_id).where('seq', '=', row.seq).execute(), refused('DELETE'))
    await assert.rejects(sql`TRUNCATE audit_event`.execute(db), refused('TRUNCATE'))
    assert.equal((await verifyChain(db, world.org.id, TEST_KEYRING)).ok, true)
  })

  it('finds a row altered, removed or forged behind the trigger’s back, naming the first broken row', async () => {
    // The tables' owner: it can switch the trigger off, which the application's role cannot.
    const db = world.app.database.owner
    const rows = await db.selectFrom('audit_event').selectAll().where('organisation_id', '=', world.otherOrg.id).orderBy('seq').execute()
    assert.ok(rows.length >= 3)
    const target = rows[1]!
    // A database owner can switch the trigger off; the hash chain still tells.
    const bypass = async (work: () => Promise<unknown>) => {
      await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(db)
      try {
        await work()
      } finally {
        await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(db)
      }
    }
    await bypass(() => db.updateTable('audit_event').set({ details: sql`${JSON.stringify({ changed: true })}::jsonb` }).where('organisation_id', '=', target.organisation_id).where('seq', '=', target.seq).execute())
    assert.deepEqual(await verifyChain(db, world.otherOrg.id, TEST_KEYRING), { organisationId: world.otherOrg.id, ok: false, rows: 2, unkeyedRows: 0, firstBrokenSeq: Number(target.seq), problem: 'content does not match its hash (altered)' })
    await bypass(() => db.updateTable('audit_event').set({ details: sql`${JSON.stringify(target.details)}::jsonb` }).where('organisation_id', '=', target.organisation_id).where('seq', '=', target.seq).execute())
    assert.equal((await verifyChain(db, world.otherOrg.id, TEST_KEYRING)).ok, true, 'restored')

    // A row rewritten with a freshly computed hash, even by someone holding the key, breaks the link to the next row.
    await bypass(async () => {
      const forged = { ...target, seq: Number(target.seq), actor_user_id: null, details: target.details as Record<string, unknown> }
      await db.updateTable('audit_event').set({ actor_user_id: null, hash: auditRowHash(target.prev_hash, forged, TEST_CHAIN_KEY) }).where('organisation_id', '=', target.organisation_id).where('seq', '=', target.seq).execute()
    })
    const forgedReport = await verifyChain(db, world.otherOrg.id, TEST_KEYRING)
    assert.equal(forgedReport.ok, false)
    assert.equal(forgedReport.ok === false && forgedReport.firstBrokenSeq, Number(target.seq) + 1)

    await bypass(() => db.deleteFrom('audit_event').where('organisation_id', '=', target.organisation_id).where('seq', '=', rows.at(-1)!.seq).execute())
    const truncated = await verifyChain(db, world.otherOrg.id, TEST_KEYRING)
    assert.equal(truncated.ok, false, 'a row removed from the end is found through the chain head')
  })
})
