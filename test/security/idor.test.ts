import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isPublic, label, mayUse, routesOf, UUID_PATTERN } from './support/app-routes.js'
import { formsFound, queryLinks, visitEveryPage, type Visit } from './support/crawl.js'
import { concernFingerprint, hashChanges, organisationFingerprint } from './support/fingerprint.js'
import { controlGroups, fillForm, todayParts } from './support/page-forms.js'
import { familyOf, parametersOf, visiblePaths } from './support/route-records.js'
import { submitJourney } from './support/submit.js'
import { buildWorld, type RecordFixture, type World } from './support/world.js'

/**
 * Insecure direct object references: every id a page hands out — in its path, in the query
 * strings of its links, in the hidden fields and choices of its forms — swapped for the id of
 * another organisation's record or of a restricted case the person is not named on. Nothing of
 * those records may show, change or be audited in their organisation.
 */
describe('access: swapping every id for one the person may not use', () => {
  let world: World
  let forbidden: RecordFixture[]
  let visits: Visit[]
  /** What kind of record each id in the world is ("concern", "referralId", "a service"…). */
  const typeOf = new Map<string, string>()
  /** For each kind, the ids of that kind the personas may not use. */
  const forbiddenOf = new Map<string, string[]>()

  /** The hidden ids to put in place of an id: those of its own kind, or (kind unknown) a few of every kind. */
  function substitutesFor(id: string): string[] {
    const type = typeOf.get(id)
    return type ? forbiddenOf.get(type)! : [...forbiddenOf.get('concern')!, forbiddenOf.get('a user account')![0]!]
  }

  before(async () => {
    world = await buildWorld()
    const concerns = world.concerns.get('dso')!
    forbidden = [...concerns.filter((r) => r.kind === 'other-org' || r.kind === 'restricted-not-named'), ...[...world.orgRecords.values()].flat().filter((r) => r.kind === 'other-org')]
    const note = (type: string, id: string, hidden: boolean) => {
      typeOf.set(id, type)
      if (hidden) forbiddenOf.set(type, [...(forbiddenOf.get(type) ?? []), id])
    }
    for (const r of [...world.concerns.values()].flat()) {
      const hidden = r.kind === 'other-org' || r.kind === 'restricted-not-named'
      note('concern', r.id, hidden)
      for (const [param, id] of Object.entries(r.children)) note(param, id, hidden)
    }
    for (const [type, records] of world.orgRecords) for (const r of records) note(type, r.id, r.kind !== 'team')
    for (const p of world.personas) note('a user account', p.user.id, false)
    for (const u of [world.secondDso, world.keeper, world.bystander]) note('a user account', u.id, false)
    for (const s of world.org.services) note('a service', s.id, false)
    for (const [type, ids] of forbiddenOf) forbiddenOf.set(type, [...new Set(ids)])
    // One walk through every page as every role: the links and forms the tests below attack.
    visits = await visitEveryPage(world)
  })
  after(() => world?.app.stop())

  function leaks(text: string): string[] {
    return world.canaries.filter((c) => text.includes(c))
  }

  async function protectedState() {
    const db = world.app.database.db
    const restricted = world.concerns.get('dso')!.find((r) => r.kind === 'restricted-not-named')!
    return { otherOrg: await organisationFingerprint(db, world.otherOrg.id), restricted: await concernFingerprint(db, restricted.id) }
  }

  it('answers a path naming a visible record with a hidden one inside it with "Page not found"', async () => {
    const problems: string[] = []
    let tried = 0
    for (const route of routesOf(world.app).filter((r) => !isPublic(r) && familyOf(r) && parametersOf(r.path).length > 1)) {
      for (const persona of world.personas.filter((p) => mayUse(p, route))) {
        await persona.client.get('/')
        const visible = visiblePaths(route, persona, world)[0]!
        for (const param of parametersOf(route.path).filter((p) => p !== 'id')) {
          for (const record of forbidden.filter((r) => r.children[param])) {
            const path = visible.path.replace(visible.record!.children[param]!, record.children[param]!)
            const page = route.method === 'get' ? await persona.client.get(path) : await persona.client.post(path, {})
            tried++
            if (page.status !== 404) problems.push(`${label(route)} as ${persona.label} with :${param} of ${record.kind}: ${page.status}`)
          }
        }
      }
    }
    assert.deepEqual(problems, [])
    console.log(`idor: ${tried} paths mixing a visible record with a hidden record's child answered 404`)
  })

  it('shows nothing of a hidden record when its id replaces an id in a link’s query string', async () => {
    const problems: string[] = []
    const links = new Map<string, string>()
    for (const { persona, page } of visits) {
      for (const link of queryLinks(page)) if (new URL(link, 'http://x').search.match(UUID_PATTERN)) links.set(link, persona.label)
    }
    let tried = 0
    for (const [link, who] of links) {
      const [path, query] = [link.slice(0, link.indexOf('?')), link.slice(link.indexOf('?') + 1)]
      const ids = [...new Set(query.match(UUID_PATTERN) ?? [])]
      for (const id of ids) {
        for (const foreign of substitutesFor(id)) {
          const page = await world.persona(who).client.get(`${path}?${query.replaceAll(id, foreign)}`)
          tried++
          if (page.status >= 500) problems.push(`${link} with ${foreign}: ${page.status}`)
          for (const c of leaks(page.text)) problems.push(`${link} with ${foreign} shows ${c}`)
        }
      }
    }
    assert.deepEqual(problems, [])
    console.log(`idor: ${links.size} links with ids in their query string, ${tried} swapped requests, nothing hidden shown`)
  })

  it('changes, shows and audits nothing of a hidden record when its id replaces an id in a form', async () => {
    const before = await protectedState()
    const today = todayParts(world.app.clock.now())
    const problems: string[] = []
    let tried = 0
    let fields = 0
    for (const { persona, form } of formsFound(visits)) {
      for (const [name, group] of controlGroups(form)) {
        // Hidden fields, and choices the page offered (a DSO to pick, a service), that hold ids.
        const idControls = group.filter((c) => c.kind !== 'text' && c.kind !== 'textarea' && /^[0-9a-f-]{36}$/i.test(c.value))
        const selectIds = group[0]!.kind === 'select' ? group[0]!.options.filter((o) => /^[0-9a-f-]{36}$/i.test(o)) : []
        if (!idControls.length && !selectIds.length) continue
        fields++
        for (const foreign of [...new Set([...idControls.map((c) => c.value), ...selectIds].flatMap(substitutesFor))]) {
          await persona.client.get(form.page)
          const body = fillForm(form, today, (c) => (c.name === name ? foreign : undefined))
          const pages = await submitJourney(persona.client, form, body, today)
          tried++
          for (const page of pages) {
            if (page.status >= 500) problems.push(`${form.method.toUpperCase()} ${form.action} as ${persona.label} with ${name}=${foreign}: ${page.status}`)
            for (const c of leaks(page.text)) problems.push(`${form.action} with ${name} swapped shows ${c}`)
          }
        }
      }
    }
    const after = await protectedState()
    assert.deepEqual(problems, [])
    assert.deepEqual(hashChanges(before.otherOrg, after.otherOrg), [], 'another organisation’s rows changed')
    assert.deepEqual(hashChanges(before.restricted, after.restricted), [], 'the restricted case changed')
    assert.ok(fields > 0, 'some forms carry ids')
    console.log(`idor: ${fields} form fields holding ids, ${tried} submissions with a hidden record's id; nothing shown, changed or audited elsewhere`)
  })
})
