import type { ChainKey } from '../../domain/audit-hash.js'
import { DateTime } from 'luxon'
import type { Kysely } from 'kysely'
import { formatReference } from '../../domain/concern-status.js'
import { LONDON } from '../../domain/working-days.js'
import { DEFAULT_REFERRING_SERVICES } from '../../domain/reference-lists.js'
import { newId } from '../../ids.js'
import { appendAudit } from '../../repositories/audit-repository.js'
import { createOrganisation, listOrganisationIds } from '../../repositories/organisation-repository.js'
import { hashPassword } from '../../services/passwords.js'
import type { DB } from '../schema.js'
import { buildDemoPlan, DEMO_ORGANISATION, DEMO_PASSWORD, DEMO_SEED, userPlan, type DemoPlan } from './demo-plan.js'
import { Random } from './random.js'
import { buildTriagePlan } from './demo-triage.js'
import { insertDemoTriage, triageColumns } from './demo-triage-insert.js'
import { insertDemoCasework } from './demo-casework.js'

export interface DemoAccounts {
  password: string
  accounts: { role: string; email: string; name: string }[]
}

async function chunked<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size))
}

/** Loads the demo council into an empty database. Refuses if any organisation already exists. */
export async function seedDemo(db: Kysely<DB>, now: Date, chainKey: ChainKey | null): Promise<DemoPlan> {
  if ((await listOrganisationIds(db)).length > 0) throw new Error('The database already holds an organisation; the demo loads only into an empty one.')
  const holidays = await db.selectFrom('bank_holiday').select('holiday_date').execute()
  const calendar = new Set(holidays.map((h) => h.holiday_date))
  const plan = buildDemoPlan(now, calendar)
  const triage = buildTriagePlan(plan, now, calendar)
  const passwordHash = await hashPassword(DEMO_PASSWORD) // one hash: every demo account shares the password

  await db.transaction().execute(async (tx) => {
    // The demo accounts sign in with the password alone; an administrator can require MFA from Security settings.
    const organisationId = await createOrganisation(tx, { ...DEMO_ORGANISATION, mfaRequired: false })
    const serviceIds = new Map<string, string>()
    for (const [i, name] of DEFAULT_REFERRING_SERVICES.entries()) {
      const id = newId()
      serviceIds.set(name, id)
      await tx.insertInto('service').values({ organisation_id: organisationId, id, name, sort_order: i }).execute()
    }
    const userIds = new Map<string, string>()
    const userRows = plan.users.map((u) => {
      const id = newId()
      userIds.set(u.key, id)
      return { organisation_id: organisationId, id, email: u.email, display_name: u.displayName, password_hash: passwordHash, service_id: serviceIds.get(u.service)! }
    })
    await chunked(userRows, 200, (c) => tx.insertInto('app_user').values(c).execute())
    const roleRows = plan.users.flatMap((u) => u.roles.map((role) => ({ organisation_id: organisationId, user_id: userIds.get(u.key)!, role })))
    if (roleRows.length) await tx.insertInto('user_role').values(roleRows).execute()

    const counters = new Map<number, number>()
    const concernRows = plan.concerns.map((c, index) => {
      const year = DateTime.fromJSDate(c.receivedAt, { zone: LONDON }).year
      const n = (counters.get(year) ?? 0) + 1
      counters.set(year, n)
      return {
        organisation_id: organisationId,
        id: newId(),
        reference: formatReference('SG', year, n),
        submission_key: newId(),
        status: c.status,
        referrer_user_id: userIds.get(c.referrerKey)!,
        referrer_service_id: serviceIds.get(c.service)!,
        received_at: c.receivedAt,
        due_at: c.dueAt,
        at_risk: c.atRisk,
        person_name: c.person.name,
        person_known_as: c.person.knownAs,
        person_date_of_birth: c.person.dateOfBirth,
        person_age_years: c.person.dateOfBirth ? null : c.person.ageYears,
        person_address: c.person.address,
        person_postcode: c.person.postcode,
        household_members: c.person.household,
        what_happened: c.whatHappened,
        concern_types: c.concernTypes,
        location: c.location,
        happened_on: c.happenedOn,
        immediate_danger: c.immediateDanger,
        person_aware: c.personAware,
        addressed_at: c.addressedAt,
        closed_at: c.closedAt,
        confirmed_types: c.addressedAt ? c.concernTypes : null,
        ...triageColumns(triage, index, userIds),
      }
    })
    await chunked(concernRows, 100, (c) => tx.insertInto('concern').values(c).execute())
    const counterRows = [...counters].map(([year, last]) => ({ organisation_id: organisationId, year, last_value: last }))
    if (counterRows.length) await tx.insertInto('reference_counter').values(counterRows).execute()
    // Triage (issue 3): rota, allocation history, decisions' onward referrals, chronology, notifications.
    const triaged = await insertDemoTriage(tx, organisationId, plan, triage, userIds, concernRows.map((r) => r.id), concernRows.map((r) => r.reference), now)
    await insertDemoCasework(tx, { organisationId, plan, triage, userIds, concernIds: concernRows.map((r) => r.id), now, calendar, chainKey }) // case record, reviews, closures (issue 4)
    await appendAudit(tx, { organisationId, actorUserId: null, action: 'demo.seed', occurredAt: now, details: { concerns: concernRows.length, users: userRows.length, ...triaged }, chainKey })
  })
  return plan
}

/** The demo's sign-in details: the same on every run, because the plan is seeded. */
export function demoAccounts(): DemoAccounts {
  const byKey = new Map(userPlan(new Random(DEMO_SEED)).map((u) => [u.key, u]))
  const pick = (key: string, role: string) => ({ role, email: byKey.get(key)!.email, name: byKey.get(key)!.displayName })
  return {
    password: DEMO_PASSWORD,
    accounts: [
      pick('staff', 'Staff member (referrer)'),
      pick('dso1', 'Designated Safeguarding Officer'),
      pick('manager', 'Safeguarding manager (and DSO)'),
      pick('slo', 'Senior Lead Officer'),
      pick('auditor', 'Auditor'),
      pick('admin', 'Administrator'),
    ],
  }
}
