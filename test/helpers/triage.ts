import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.js'
import { londonDate } from '../../src/domain/working-days.js'
import { setDuties } from '../../src/repositories/rota-repository.js'
import { allocate } from '../../src/services/allocation.js'
import { recordInitialDecision, type DecisionRequest } from '../../src/services/initial-decision.js'
import type { AppDeps } from '../../src/context.js'
import type { TestApp } from './app.js'
import type { TestUser } from './factories.js'

/** Puts people on duty on a date (today by the app clock unless given). */
export async function putOnDuty(app: TestApp, organisationId: string, users: TestUser[], date = londonDate(app.clock.now())): Promise<void> {
  const db = app.database.db as Kysely<DB>
  const existing = await db.selectFrom('rota_date').select('version').where('organisation_id', '=', organisationId).where('duty_date', '=', date).executeTakeFirst()
  const ok = await setDuties(db, organisationId, date, users.map((u) => u.id), existing?.version ?? 0, null, app.clock.now())
  if (!ok) throw new Error('Could not set the rota')
}

export async function concernVersion(app: TestApp, id: string): Promise<number> {
  const row = await app.database.db.selectFrom('concern').select('version').where('id', '=', id).executeTakeFirstOrThrow()
  return row.version
}

function deps(app: TestApp): AppDeps {
  return app.server.deps
}

/** Allocates through the real service, as a manager would. */
export async function allocateAs(app: TestApp, manager: TestUser, concernId: string, lead: TestUser, second: TestUser): Promise<void> {
  const outcome = await allocate(deps(app), app.factories.context(manager), concernId, await concernVersion(app, concernId), { leadId: lead.id, secondId: second.id, reason: null })
  if (outcome.kind !== 'done') throw new Error(`Allocation failed: ${JSON.stringify(outcome)}`)
}

/** Records a decision through the real service, as the Lead DSO, with the agreement recorded by the Lead. */
export async function decideAs(app: TestApp, lead: TestUser, concernId: string, overrides: Partial<DecisionRequest> = {}): Promise<void> {
  const outcome = await recordInitialDecision(deps(app), app.factories.context(lead), concernId, await concernVersion(app, concernId), {
    decision: 'onward_referral',
    riskLevel: 'medium',
    confirmedTypes: ['adult:Self-Neglect'],
    rationale: 'Needs a care assessment.',
    delayReason: null,
    agreement: { kind: 'recorded_by_lead', agreedAt: new Date(app.clock.now().getTime() - 60_000), how: 'By phone' },
    ...overrides,
  })
  if (outcome.kind !== 'done') throw new Error(`Decision failed: ${JSON.stringify(outcome)}`)
}
