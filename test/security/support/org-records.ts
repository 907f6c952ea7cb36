import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../../src/db/schema.js'
import { newId } from '../../../src/ids.js'
import { insertAgency } from '../../../src/repositories/agency-repository.js'
import { insertEmail } from '../../../src/repositories/email-outbox-repository.js'
import { insertImportBatch } from '../../../src/repositories/import-repository.js'
import { insertAbsence } from '../../../src/repositories/rota-repository.js'
import { londonDate } from '../../../src/domain/working-days.js'
import type { TestApp } from '../../helpers/app.js'
import type { TestOrganisation, TestUser } from '../../helpers/factories.js'

/**
 * Records an organisation owns that administrators and managers open by id. For each type the
 * world builds one in the persona's organisation (visible to those the policy lets in) and one
 * in another organisation (never visible). A new page that opens a new kind of record by id adds
 * its type here: the path it serves and how to make one.
 */
export interface OrgRecordType {
  name: string
  pattern: RegExp
  /** Makes one record in the organisation; `canary` goes into a field the page shows, where there is one. */
  build(app: TestApp, org: TestOrganisation, people: { dso: TestUser; staff: TestUser }, canary: string): Promise<string>
}

function db(app: TestApp): Kysely<DB> {
  return app.database.db
}

export const ORG_RECORD_TYPES: OrgRecordType[] = [
  {
    name: 'a user account',
    pattern: /^\/admin\/users\/:id(\/|$)/,
    build: async (app, org, _people, canary) => (await app.factories.user(org, [], { name: `${canary} Account` })).id,
  },
  {
    name: 'a service',
    pattern: /^\/admin\/services\/:id(\/|$)/,
    build: async (_app, org) => org.services[2]!.id,
  },
  {
    name: 'an agency',
    pattern: /^\/admin\/agencies\/:id(\/|$)/,
    build: (app, org, _people, canary) => insertAgency(db(app), org.id, `${canary} Agency`),
  },
  {
    name: 'an email in the outbox',
    pattern: /^\/admin\/emails\/:id(\/|$)/,
    build: async (app, org, people, canary) => {
      const id = newId()
      await insertEmail(db(app), { organisationId: org.id, id, to: people.staff.email, kind: 'allocation', subject: `${canary} subject`, body: `${canary} body`, personalisation: {}, status: 'held', createdAt: app.clock.now(), dedupeKey: null })
      return id
    },
  },
  {
    name: 'a DSO absence',
    pattern: /^\/rota\/absences\/:id(\/|$)/,
    build: async (app, org, people) => {
      const id = newId()
      const today = londonDate(app.clock.now())
      await insertAbsence(db(app), { organisationId: org.id, id, userId: people.dso.id, startsOn: today, endsOn: today, kind: 'leave', createdBy: people.dso.id, createdAt: app.clock.now(), submissionKey: newId() })
      return id
    },
  },
  {
    name: 'a historical import batch',
    pattern: /^\/reports\/import\/:id(\/|$)/,
    build: async (app, org, people, canary) => {
      const id = newId()
      const content = Buffer.from('reference,received\n')
      await insertImportBatch(db(app), { organisationId: org.id, id, createdBy: people.dso.id, createdAt: app.clock.now(), fileName: `${canary}.csv`, fileFormat: 'csv', fileSha256: createHash('sha256').update(content).digest('hex'), content, rowCount: 0, validCount: 0, alreadyImportedCount: 0, problems: [] })
      return id
    },
  },
]
