import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.js'
import type { CurrentUser, SignedInContext } from '../../src/context.js'
import type { AppRole, GrantableRole } from '../../src/domain/roles.js'
import { newId } from '../../src/ids.js'
import { createOrganisation } from '../../src/repositories/organisation-repository.js'
import { insertService } from '../../src/repositories/service-repository.js'
import { insertUser } from '../../src/repositories/user-repository.js'
import { hashPassword } from '../../src/services/passwords.js'
import { raiseConcern, type ConcernAnswers } from '../../src/services/raise-concern.js'
import { TEST_CHAIN_KEY } from './app.js'
import type { TestClock } from './clock.js'

export const TEST_PASSWORD = 'correct horse battery staple'

export interface TestUser {
  id: string
  organisationId: string
  email: string
  password: string
  displayName: string
  roles: GrantableRole[]
  serviceId: string
}

export interface TestOrganisation {
  id: string
  name: string
  services: { id: string; name: string }[]
}

let passwordHash: Promise<string> | undefined
let counter = 0

/** Builds records through the same repositories and services the app uses. */
export class Factories {
  constructor(
    readonly db: Kysely<DB>,
    readonly clock: TestClock,
  ) {}

  /** Test organisations do not require MFA unless asked (`mfaRequired: true`), so tests sign in with a password. */
  async organisation(name = `Test Council ${++counter}`, options: { mfaRequired?: boolean } = {}): Promise<TestOrganisation> {
    const services = ['Housing Management', 'Customer Services', 'Leisure Services'].map((n) => ({ id: newId(), name: n }))
    const id = await this.db.transaction().execute(async (tx) => {
      const id = await createOrganisation(tx, { name, slug: `test-${counter}-${newId().slice(-8)}`, mfaRequired: options.mfaRequired ?? false })
      for (const [i, s] of services.entries()) await insertService(tx, { organisationId: id, id: s.id, name: s.name, sortOrder: i })
      return id
    })
    return { id, name, services }
  }

  async user(org: TestOrganisation, roles: GrantableRole[] = [], options: { name?: string; mustChangePassword?: boolean; email?: string } = {}): Promise<TestUser> {
    passwordHash ??= hashPassword(TEST_PASSWORD)
    const n = ++counter
    const displayName = options.name ?? `Test ${roles.join('-') || 'staff'} ${n}`
    const user: TestUser = {
      id: newId(),
      organisationId: org.id,
      email: options.email ?? `user${n}.${newId().slice(-6)}@test.example`,
      password: TEST_PASSWORD,
      displayName,
      roles,
      serviceId: org.services[0]!.id,
    }
    await insertUser(this.db, {
      organisationId: org.id,
      id: user.id,
      email: user.email,
      displayName,
      passwordHash: await passwordHash,
      mustChangePassword: options.mustChangePassword ?? false,
      serviceId: user.serviceId,
      roles,
    })
    return user
  }

  context(user: TestUser, organisationName = ''): SignedInContext {
    const current: CurrentUser = {
      id: user.id,
      organisationId: user.organisationId,
      organisationName,
      email: user.email,
      displayName: user.displayName,
      serviceId: user.serviceId,
      roles: new Set<AppRole>(['staff', ...user.roles]),
      mustChangePassword: false,
    }
    return { requestId: newId(), ip: '127.0.0.1', now: () => this.clock.now(), user: current, chainKey: TEST_CHAIN_KEY }
  }

  /** Raises a concern as the given referrer, through the real service. */
  async concern(referrer: TestUser, answers: Partial<ConcernAnswers> = {}) {
    const full: ConcernAnswers = {
      atRisk: 'adult',
      personName: `Person ${++counter}`,
      personKnownAs: null,
      personDateOfBirth: '1950-05-17',
      personAgeYears: null,
      personAddress: '1 Test Street\nTestville',
      personPostcode: 'WX1 2AB',
      householdMembers: null,
      whatHappened: 'They told me their carer had not visited for three days.',
      concernTypes: ['adult:Self-Neglect'],
      location: 'Own Home',
      happenedOn: null,
      immediateDanger: false,
      personAware: 'knows_and_agrees',
      serviceId: referrer.serviceId,
      ...answers,
    }
    const deps = { database: { db: this.db } } as Parameters<typeof raiseConcern>[0]
    return raiseConcern(deps, this.context(referrer), full, newId())
  }
}
