import { DateTime } from 'luxon'
import { ADULT_CONCERN_TYPES, CHILD_CONCERN_TYPES, DEFAULT_REFERRING_SERVICES } from '../../domain/reference-lists.js'
import type { GrantableRole } from '../../domain/roles.js'
import { addCalendarDays, computeDeadline, isWorkingDay, LONDON, londonDate, nthWorkingDayAfter, type NonWorkingDates } from '../../domain/working-days.js'
import type { AtRisk, ConcernStatus } from '../schema.js'
import { FIRST_NAMES, POSTCODE_AREA, STREETS, SURNAMES, TOWNS } from './names.js'
import { narrativeFor } from './narratives.js'
import { Random } from './random.js'

export const DEMO_SEED = 20230405 // the date of the scrutiny committee in seed 000
export const DEMO_PASSWORD = 'safeguarding-demo'
export const DEMO_ORGANISATION = { name: 'Wealdmoor District Council', slug: 'wealdmoor' }
export const DEMO_DOMAIN = 'wealdmoor.example'

/** Published volumes (seed 000 §5.2) and plausible ones either side. Keyed by the year a financial year starts. */
export const VOLUMES: Record<number, number> = { 2021: 125, 2022: 130, 2023: 128, 2024: 134, 2025: 131 }
const CURRENT_YEAR_RATE = 132
const FIRST_YEAR = 2021

export interface DemoUser {
  key: string
  displayName: string
  email: string
  service: string
  roles: GrantableRole[]
}

export interface DemoPerson {
  name: string
  knownAs: string | null
  dateOfBirth: string | null
  ageYears: number | null
  address: string
  postcode: string
  household: string | null
}

export interface DemoConcern {
  financialYear: number
  receivedAt: Date
  dueAt: Date
  addressedAt: Date | null
  closedAt: Date | null
  status: ConcernStatus
  atRisk: AtRisk
  person: DemoPerson
  personIndex: number
  whatHappened: string
  concernTypes: string[]
  location: string
  happenedOn: string | null
  immediateDanger: boolean
  personAware: string
  service: string
  referrerKey: string
}

export interface DemoPlan {
  users: DemoUser[]
  concerns: DemoConcern[]
}

const SERVICE_WEIGHTS: Record<string, number> = {
  'Customer Services': 22,
  'Housing Management': 30,
  'Housing Choices': 16,
  'Environmental Protection': 5,
  'Asset Management/Repairs': 9,
  'Stronger & Safer Communities': 7,
  'Leisure Services': 5,
  'Revenues & Benefits': 8,
  'Business Focus': 2,
  'Environmental Health': 6,
}

const ADULT_TYPE_WEIGHTS: [string, number][] = [
  ['Self-Neglect', 22], ['Financial or Material Abuse', 16], ['Domestic Abuse', 18], ['Neglect and Acts of Omission', 12],
  ['Psychological Abuse', 10], ['Physical Abuse', 8], ['Modern Slavery', 2], ['Sexual Exploitation', 2], ['Discriminatory Abuse', 3],
  ['Organisational Abuse', 2], ['Sexual Abuse', 3],
]
const CHILD_TYPE_WEIGHTS: [string, number][] = [
  ['Neglect', 30], ['Domestic abuse', 20], ['Emotional abuse', 10], ['Physical abuse', 10], ['Child criminal exploitation / county lines', 8],
  ['Child sexual exploitation', 5], ['Online harm', 6], ['Missing from home or care', 5], ['Radicalisation', 1], ['Sexual abuse', 3],
  ['Female genital mutilation', 1], ['Other', 3],
]

export function userPlan(random: Random): DemoUser[] {
  const users: DemoUser[] = []
  const used = new Set<string>()
  const person = (key: string, roles: GrantableRole[], service: string, fixedName?: string): DemoUser => {
    let name = fixedName ?? `${random.pick(FIRST_NAMES)} ${random.pick(SURNAMES)}`
    while (used.has(name)) name = `${random.pick(FIRST_NAMES)} ${random.pick(SURNAMES)}`
    used.add(name)
    const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${DEMO_DOMAIN}`
    return { key, displayName: name, email, service, roles }
  }
  users.push(person('admin', ['admin'], 'Customer Services', 'Adrian Admin'))
  users.push(person('manager', ['safeguarding_manager', 'dso'], 'Environmental Health', 'Morgan Manager'))
  users.push(person('slo', ['senior_lead_officer'], 'Stronger & Safer Communities', 'Sally Senior'))
  users.push(person('auditor', ['auditor'], 'Business Focus', 'Aubrey Auditor'))
  const dsoServices = ['Housing Management', 'Housing Choices', 'Customer Services', 'Stronger & Safer Communities', 'Leisure Services', 'Revenues & Benefits', 'Environmental Health', 'Asset Management/Repairs', 'Housing Management', 'Customer Services', 'Environmental Protection', 'Housing Choices']
  dsoServices.forEach((service, i) => users.push(person(`dso${i + 1}`, ['dso'], service, i === 0 ? 'Dana DSO' : undefined)))
  users.push(person('staff', [], 'Housing Management', 'Sam Staff'))
  let n = 1
  // About sixty other staff (issue 2), spread like the referrals: the busiest services have the most people.
  for (const service of DEFAULT_REFERRING_SERVICES) {
    const count = Math.max(3, Math.round(SERVICE_WEIGHTS[service]! / 2))
    for (let i = 0; i < count; i++) users.push(person(`staff${n++}`, [], service))
  }
  return users
}

function randomDob(random: Random, atRisk: AtRisk, onDate: string): { dob: string | null; age: number | null } {
  if (atRisk === 'unborn') return { dob: null, age: random.int(17, 38) }
  const age = atRisk === 'child' ? random.int(0, 17) : atRisk === 'household' ? random.int(22, 55) : random.weighted([[random.int(18, 64), 5], [random.int(65, 84), 4], [random.int(85, 97), 1]] as const)
  if (random.chance(0.25)) return { dob: null, age }
  const birth = DateTime.fromISO(onDate).minus({ years: age, days: random.int(1, 360) })
  return { dob: birth.toISODate(), age: null }
}

function newPerson(random: Random, atRisk: AtRisk, onDate: string): DemoPerson {
  const name = `${random.pick(FIRST_NAMES)} ${random.pick(SURNAMES)}`
  const { dob, age } = randomDob(random, atRisk, onDate)
  const district = random.int(1, 9)
  return {
    name,
    knownAs: random.chance(0.08) ? random.pick(FIRST_NAMES) : null,
    dateOfBirth: dob,
    ageYears: age,
    address: `${random.int(1, 140)} ${random.pick(STREETS)}\n${random.pick(TOWNS)}`,
    postcode: `${POSTCODE_AREA}${district} ${random.int(1, 9)}${String.fromCharCode(65 + random.int(0, 25))}${String.fromCharCode(65 + random.int(0, 25))}`,
    household: atRisk === 'household' || atRisk === 'child' ? `${random.pick(FIRST_NAMES)} (parent), ${random.pick(FIRST_NAMES)} (sibling, ${random.int(1, 15)})` : random.chance(0.3) ? `${random.pick(FIRST_NAMES)} (partner)` : null,
  }
}

/** A receipt time: mostly office hours on working days, a few evenings and weekends. */
function receiptBetween(random: Random, from: string, to: string, calendar: NonWorkingDates): Date {
  const start = DateTime.fromISO(from, { zone: LONDON })
  const days = Math.max(0, Math.floor(DateTime.fromISO(to, { zone: LONDON }).diff(start, 'days').days))
  for (;;) {
    const date = start.plus({ days: random.int(0, days) }).toISODate()!
    const working = isWorkingDay(date, calendar)
    if (!working && !random.chance(0.06)) continue
    const minutes = working && !random.chance(0.05) ? random.int(8 * 60 + 30, 17 * 60 + 15) : random.int(18 * 60, 21 * 60)
    return DateTime.fromISO(date, { zone: LONDON }).plus({ minutes }).toJSDate()
  }
}

/** Addressed within the target: some the same day, most by the next working day, never after the deadline. */
function addressedWithinTarget(random: Random, receivedAt: Date, dueAt: Date, calendar: NonWorkingDates): Date {
  const receivedDay = londonDate(receivedAt)
  const offset = random.weighted([[0, 4], [1, 5], [2, 1]] as const)
  const day = offset === 0 && isWorkingDay(receivedDay, calendar) ? receivedDay : nthWorkingDayAfter(receivedDay, Math.max(1, offset), calendar)
  let at = DateTime.fromISO(day, { zone: LONDON }).plus({ minutes: random.int(9 * 60, 16 * 60 + 45) }).toJSDate()
  if (at <= receivedAt) at = new Date(receivedAt.getTime() + random.int(30, 180) * 60_000)
  return at > dueAt ? new Date(dueAt.getTime() - 3_600_000) : at
}

export function financialYearOf(date: Date): number {
  const d = DateTime.fromJSDate(date, { zone: LONDON })
  return d.month >= 4 ? d.year : d.year - 1
}

export function buildDemoPlan(now: Date, calendar: NonWorkingDates): DemoPlan {
  const random = new Random(DEMO_SEED)
  const users = userPlan(random)
  const staffByService = new Map<string, DemoUser[]>()
  for (const u of users) {
    if (u.roles.length > 0 && !u.roles.every((r) => r === 'dso')) continue
    staffByService.set(u.service, [...(staffByService.get(u.service) ?? []), u])
  }
  const people: { person: DemoPerson; atRisk: AtRisk }[] = []
  const concerns: DemoConcern[] = []
  const today = londonDate(now)
  const currentYear = financialYearOf(now)

  for (let fy = FIRST_YEAR; fy <= currentYear; fy++) {
    const from = `${fy}-04-01`
    const isCurrent = fy === currentYear
    // 2022-23 as published: received April 2022 to mid-March 2023.
    const to = isCurrent ? today : fy === 2022 ? '2023-03-15' : `${fy + 1}-03-31`
    const elapsed = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days + 1
    const count = isCurrent ? Math.max(6, Math.round((CURRENT_YEAR_RATE * elapsed) / 365)) : VOLUMES[fy] ?? CURRENT_YEAR_RATE
    const services = DEFAULT_REFERRING_SERVICES as readonly string[]

    const receipts = Array.from({ length: count }, () => receiptBetween(random, from, to, calendar)).sort((a, b) => a.getTime() - b.getTime())
    // Nothing in the future, and the last few of the current year still waiting in the queue.
    receipts.forEach((r, i) => {
      if (r > now) receipts[i] = new Date(now.getTime() - random.int(1, 600) * 60_000)
    })
    receipts.sort((a, b) => a.getTime() - b.getTime())

    receipts.forEach((receivedAt, i) => {
      // Every service refers at least once a year (seed 000 §5.5: ten services in 2022-23).
      const service = i < services.length ? services[(i * 7) % services.length]! : random.weighted(Object.entries(SERVICE_WEIGHTS))
      const referrer = random.pick(staffByService.get(service)!)
      const receivedDay = londonDate(receivedAt)
      const repeat = people.length > 20 && random.chance(0.08)
      const existing = repeat ? random.pick(people) : undefined
      const atRisk: AtRisk = existing?.atRisk ?? random.weighted([['adult', 60], ['child', 30], ['household', 7], ['unborn', 3]] as const)
      const person = existing?.person ?? newPerson(random, atRisk, receivedDay)
      if (!existing) people.push({ person, atRisk })
      const group = atRisk === 'adult' ? 'adult' : atRisk === 'household' ? random.pick(['adult', 'child'] as const) : 'child'
      const primary = random.weighted(group === 'adult' ? ADULT_TYPE_WEIGHTS : CHILD_TYPE_WEIGHTS)
      const types = [`${group}:${primary}`]
      if (random.chance(0.2)) {
        const extra = random.pick(group === 'adult' ? ADULT_CONCERN_TYPES : CHILD_CONCERN_TYPES)
        if (extra !== primary) types.push(`${group}:${extra}`)
      }
      const dueAt = computeDeadline(receivedAt, { targetDays: 2 }, calendar)
      const waiting = isCurrent && i >= receipts.length - 5
      const addressedAt = waiting ? null : addressedWithinTarget(random, receivedAt, dueAt, calendar)
      const ageDays = (now.getTime() - receivedAt.getTime()) / 86_400_000
      const closedAt = addressedAt && ageDays > 75 ? new Date(addressedAt.getTime() + random.int(10, 60) * 86_400_000) : null
      concerns.push({
        financialYear: fy,
        receivedAt,
        dueAt,
        addressedAt,
        closedAt: closedAt && closedAt < now ? closedAt : null,
        status: waiting ? 'submitted' : closedAt && closedAt < now ? 'closed' : 'open',
        atRisk,
        person,
        personIndex: existing ? people.indexOf(existing) : people.length - 1,
        whatHappened: narrativeFor(random, group, primary, person.name),
        concernTypes: types,
        location: primary === 'Organisational Abuse' ? 'Care Home - Residential' : random.weighted([['Own Home', 70], ['In the Community (excluding community services)', 18], ['In a Community Service', 6], ['Other', 6]] as const),
        happenedOn: random.chance(0.7) ? addCalendarDays(receivedDay, -random.int(0, 3)) : null,
        immediateDanger: random.chance(0.04),
        personAware: atRisk === 'child' || atRisk === 'unborn' ? random.pick(['not_appropriate', 'does_not_know', 'knows_and_agrees']) : random.weighted([['knows_and_agrees', 6], ['knows_does_not_agree', 1], ['does_not_know', 2], ['not_appropriate', 1]] as const),
        service,
        referrerKey: referrer.key,
      })
    })
  }

  // Concerns still waiting arrived in the last day or so; one is already past its deadline,
  // so the queue shows what overdue looks like.
  const waiting = concerns.filter((c) => c.status === 'submitted')
  for (const c of waiting.slice(1)) {
    c.receivedAt = new Date(now.getTime() - random.int(20, 26 * 60) * 60_000)
    c.dueAt = computeDeadline(c.receivedAt, { targetDays: 2 }, calendar)
    c.financialYear = financialYearOf(c.receivedAt)
  }
  const overdue = waiting[0]
  if (overdue) {
    const receivedDay = nthWorkingDayAfter(addCalendarDays(today, -10), 2, calendar)
    overdue.receivedAt = DateTime.fromISO(receivedDay, { zone: LONDON }).plus({ hours: 10, minutes: 12 }).toJSDate()
    overdue.dueAt = computeDeadline(overdue.receivedAt, { targetDays: 2 }, calendar)
    overdue.financialYear = financialYearOf(overdue.receivedAt)
  }
  concerns.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
  return { users, concerns }
}

