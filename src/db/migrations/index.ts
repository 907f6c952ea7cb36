import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001_foundation.js'
import * as m0002 from './0002_bank_holidays.js'
import * as m0003 from './0003_casework_core.js'
import * as m0004 from './0004_triage.js'
import * as m0005 from './0005_case_record.js'
import * as m0006 from './0006_security.js'
import * as m0007 from './0007_reporting.js'
import * as m0008 from './0008_reporting_monthly.js'
import * as m0009 from './0009_statistics_without_ownership.js'
import * as m0010 from './0010_keyed_audit_chain.js'
import * as m0011 from './0011_retention.js'
import * as m0012 from './0012_restricted_report_indexes.js'

/** Listed explicitly so the compiled build and the test run see exactly the same migrations. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_bank_holidays': m0002,
  '0003_casework_core': m0003,
  '0004_triage': m0004,
  '0005_case_record': m0005,
  '0006_security': m0006,
  '0007_reporting': m0007,
  '0008_reporting_monthly': m0008,
  '0009_statistics_without_ownership': m0009,
  '0010_keyed_audit_chain': m0010,
  '0011_retention': m0011,
  '0012_restricted_report_indexes': m0012,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
