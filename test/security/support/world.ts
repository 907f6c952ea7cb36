import { randomBytes } from 'node:crypto'
import type { GrantableRole } from '../../../src/domain/roles.js'
import { newId } from '../../../src/ids.js'
import { addOnwardReferral } from '../../../src/services/onward-referrals.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import type { TestClient } from '../../helpers/client.js'
import type { TestOrganisation, TestUser } from '../../helpers/factories.js'
import { allocateAs, decideAs } from '../../helpers/triage.js'
import type { Config } from '../../../src/config.js'
import { addCaseChildren, addPerson, meetingWithItems, mergeTwo } from './case-records.js'
import { ORG_RECORD_TYPES } from './org-records.js'

/**
 * A world for the security suites: two organisations, a persona for each role in the first one,
 * and case records of every kind relative to each persona — their own, allocated to them, the
 * team's, restricted without naming them, restricted naming them, and another organisation's.
 * Records the persona must never see carry a unique canary string in their narrative and name,
 * so any page that leaks them can be caught by searching for it.
 */

export type RecordKind = 'own' | 'allocated' | 'team' | 'restricted-not-named' | 'restricted-named' | 'other-org'
export const RECORD_KINDS: readonly RecordKind[] = ['own', 'allocated', 'team', 'restricted-not-named', 'restricted-named', 'other-org']

export interface Persona {
  label: string
  roles: GrantableRole[]
  user: TestUser
  client: TestClient
}

export const PERSONA_ROLES: { label: string; roles: GrantableRole[] }[] = [
  { label: 'staff', roles: [] },
  { label: 'dso', roles: ['dso'] },
  { label: 'safeguarding_manager', roles: ['safeguarding_manager'] },
  { label: 'senior_lead_officer', roles: ['senior_lead_officer'] },
  { label: 'auditor', roles: ['auditor'] },
  { label: 'admin', roles: ['admin'] },
]

/** A record a path can name: its id, and the ids of records inside it, by path parameter name. */
export interface RecordFixture {
  kind: RecordKind
  /** What state it is in, for messages (e.g. "submitted", "open with a referral"). */
  state: string
  id: string
  children: Record<string, string>
  /** Present on records this persona must never see. */
  canary?: string
  /** Ids inside this (visible) record that the persona must not reach: an item on a restricted case. */
  hiddenChildren?: Record<string, string>
}

export interface World {
  app: TestApp
  org: TestOrganisation
  otherOrg: TestOrganisation
  personas: Persona[]
  persona(label: string): Persona
  /** Helpers in the first organisation: a second DSO, the DSO named on restricted cases, a referrer. */
  secondDso: TestUser
  keeper: TestUser
  bystander: TestUser
  /** Concern records by persona label (shared ones appear under every persona). */
  concerns: Map<string, RecordFixture[]>
  /** Records opened by id on administration and rota pages, by type name (see org-records.ts). */
  orgRecords: Map<string, RecordFixture[]>
  /** Every canary planted in records someone may not see. */
  canaries: string[]
}

function canary(label: string): string {
  return `Canary${label.replace(/[^A-Za-z]/g, '')}${randomBytes(5).toString('hex')}`
}

export async function buildWorld(options: { now?: string; config?: Partial<Config>; app?: TestApp } = {}): Promise<World> {
  const app = options.app ?? (await startTestApp({ now: options.now ?? '2026-03-10T10:00:00Z', ...(options.config ? { config: options.config } : {}) }))
  const f = app.factories
  const org = await f.organisation()
  const otherOrg = await f.organisation()

  const users = new Map<string, TestUser>()
  for (const p of PERSONA_ROLES) users.set(p.label, await f.user(org, p.roles, { name: `Persona ${p.label}` }))
  const manager = users.get('safeguarding_manager')!
  const secondDso = await f.user(org, ['dso'], { name: 'Second Officer' })
  const keeper = await f.user(org, ['dso'], { name: 'Keeper Officer' })
  const keeperSecond = await f.user(org, ['dso'], { name: 'Keeper Second' })
  const bystander = await f.user(org, [], { name: 'Bystander Referrer' })

  const otherManager = await f.user(otherOrg, ['safeguarding_manager'], { name: 'Other Manager' })
  const otherLead = await f.user(otherOrg, ['dso'], { name: 'Other Lead' })
  const otherSecond = await f.user(otherOrg, ['dso'], { name: 'Other Second' })
  const otherReferrer = await f.user(otherOrg, [], { name: 'Other Referrer' })

  const canaries: string[] = []

  /** A concern taken to "open" (allocated, decided) with one onward referral, note, task, document and chronology entry. */
  async function openConcern(referrer: TestUser, mgr: TestUser, lead: TestUser, second: TestUser, name?: string): Promise<{ id: string } & Record<string, string>> {
    const { id } = await f.concern(referrer, name ? { personName: name, whatHappened: `${name} narrative`, householdMembers: name } : {})
    await allocateAs(app, mgr, id, lead, second)
    await decideAs(app, lead, id)
    const submissionKey = newId()
    const outcome = await addOnwardReferral(app.server.deps, f.context(lead), id, submissionKey, {
      agency: 'Police',
      agencyOther: null,
      madeAt: new Date(app.clock.now().getTime() - 60_000),
      method: 'phone',
      contact: null,
      agencyReference: null,
      consent: 'given',
      consentReason: null,
      informationShared: null,
      followUpOn: null,
    })
    if (outcome.kind !== 'done') throw new Error(`Could not add the referral fixture: ${JSON.stringify(outcome)}`)
    const referral = await app.database.db.selectFrom('onward_referral').select('id').where('submission_key', '=', submissionKey).executeTakeFirstOrThrow()
    return { id, referralId: referral.id, ...(await addCaseChildren(app, lead, id, name)) }
  }

  async function restrict(concernId: string, named: TestUser[]): Promise<void> {
    // The restriction feature sets these two things; the visibility rule reads nothing else.
    await app.database.db.updateTable('concern').set({ restricted: true }).where('id', '=', concernId).execute()
    for (const u of named) {
      await app.database.db.insertInto('concern_access').values({ organisation_id: org.id, concern_id: concernId, user_id: u.id, granted_by: keeper.id, granted_at: app.clock.now() }).execute()
    }
  }

  // Shared records: the team's (one new, one open), one restricted to others, one in another organisation.
  const teamNew = await f.concern(bystander)
  const teamOpen = await openConcern(bystander, manager, secondDso, keeper)
  const hiddenName = canary('restricted')
  canaries.push(hiddenName)
  const restrictedOther = await openConcern(bystander, manager, keeper, keeperSecond, hiddenName)
  await restrict(restrictedOther.id, [keeper, keeperSecond])
  const foreignName = canary('otherorg')
  canaries.push(foreignName)
  const foreign = await openConcern(otherReferrer, otherManager, otherLead, otherSecond, foreignName)

  const childrenOf = ({ id: _id, ...children }: { id: string } & Record<string, string>) => children
  const concerns = new Map<string, RecordFixture[]>()
  for (const p of PERSONA_ROLES) {
    const user = users.get(p.label)!
    const list: RecordFixture[] = []
    const own = await openConcern(user, manager, secondDso, keeper)
    list.push({ kind: 'own', state: 'open with a referral', id: own.id, children: childrenOf(own) })
    if (p.roles.includes('dso')) {
      const allocatedNew = await f.concern(bystander)
      await allocateAs(app, manager, allocatedNew.id, user, secondDso)
      list.push({ kind: 'allocated', state: 'allocated, no decision yet', id: allocatedNew.id, children: {} })
      const allocatedOpen = await openConcern(bystander, manager, user, secondDso)
      list.push({ kind: 'allocated', state: 'open with a referral', id: allocatedOpen.id, children: childrenOf(allocatedOpen) })
      const asSecond = await f.concern(bystander)
      await allocateAs(app, manager, asSecond.id, secondDso, user)
      list.push({ kind: 'allocated', state: 'allocated to them as Second DSO', id: asSecond.id, children: {} })
    }
    list.push({ kind: 'team', state: 'submitted', id: teamNew.id, children: {} })
    list.push({ kind: 'team', state: 'open with a referral', id: teamOpen.id, children: childrenOf(teamOpen) })
    list.push({ kind: 'restricted-not-named', state: 'restricted, open with a referral', id: restrictedOther.id, children: childrenOf(restrictedOther), canary: hiddenName })
    const named = await openConcern(bystander, manager, keeper, keeperSecond)
    await restrict(named.id, [keeper, keeperSecond, user])
    list.push({ kind: 'restricted-named', state: 'restricted naming them, open with a referral', id: named.id, children: childrenOf(named) })
    list.push({ kind: 'other-org', state: 'open with a referral', id: foreign.id, children: childrenOf(foreign), canary: foreignName })
    concerns.set(p.label, list)
  }

  const orgRecords = new Map<string, RecordFixture[]>()
  for (const type of ORG_RECORD_TYPES) {
    const hidden = canary('record')
    canaries.push(hidden)
    orgRecords.set(type.name, [
      { kind: 'team', state: type.name, id: await type.build(app, org, { dso: keeper, staff: bystander }, canary('visible')), children: {} },
      { kind: 'other-org', state: `${type.name} in another organisation`, id: await type.build(app, otherOrg, { dso: otherLead, staff: otherReferrer }, hidden), children: {}, canary: hidden },
    ])
  }

  // The person index and review meetings: the team's, one only a restricted case shows, another organisation's.
  const teamPerson = await addPerson(app, secondDso, teamOpen.id, 'Team Person')
  const hiddenPerson = canary('person')
  canaries.push(hiddenPerson)
  const foreignPerson = canary('person')
  canaries.push(foreignPerson)
  orgRecords.set('a person', [
    { kind: 'team', state: 'a person on a team case', id: teamPerson, children: {} },
    { kind: 'restricted-not-named', state: 'a person only on a restricted case', id: await addPerson(app, keeper, restrictedOther.id, hiddenPerson), children: {}, canary: hiddenPerson },
    { kind: 'other-org', state: 'a person in another organisation', id: await addPerson(app, otherLead, foreign.id, foreignPerson), children: {}, canary: foreignPerson },
  ])
  const teamMerge = await mergeTwo(app, secondDso, manager, teamOpen.id)
  const foreignMerge = await mergeTwo(app, otherLead, otherManager, foreign.id)
  orgRecords.set('a person merge', [
    { kind: 'team', state: 'a merge of two people on a team case', id: teamMerge, children: { mergeId: teamMerge } },
    { kind: 'other-org', state: 'a merge in another organisation', id: foreignMerge, children: { mergeId: foreignMerge } },
  ])
  // Built by the DSO named on the restricted case, so its agenda holds that case too.
  const meeting = await meetingWithItems(app, keeper, 1)
  const foreignMeeting = await meetingWithItems(app, otherManager, 1)
  const visibleItem = meeting.itemsByConcern.get(teamOpen.id)
  const hiddenItem = meeting.itemsByConcern.get(restrictedOther.id)
  if (!visibleItem || !hiddenItem) throw new Error('The review meeting fixture has no item for the team case or the restricted case')
  orgRecords.set('a review meeting', [
    { kind: 'team', state: 'a review meeting', id: meeting.id, children: { itemId: visibleItem }, hiddenChildren: { itemId: hiddenItem } },
    { kind: 'other-org', state: 'a review meeting in another organisation', id: foreignMeeting.id, children: { itemId: [...foreignMeeting.itemsByConcern.values()][0]! } },
  ])

  const personas: Persona[] = []
  for (const p of PERSONA_ROLES) {
    const user = users.get(p.label)!
    personas.push({ label: p.label, roles: p.roles, user, client: await app.signedIn(user) })
  }

  return {
    app,
    org,
    otherOrg,
    personas,
    persona: (label) => {
      const found = personas.find((p) => p.label === label)
      if (!found) throw new Error(`No persona ${label}`)
      return found
    },
    secondDso,
    keeper,
    bystander,
    concerns,
    orgRecords,
    canaries,
  }
}
