import { Migrator, type Kysely } from 'kysely'
import { migrationProvider, migrations } from './migrations/index.js'
import { currentRole, grantApplicationAccess } from './privileges.js'

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: 'kestrel_migration', migrationLockTableName: 'kestrel_migration_lock', allowUnorderedMigrations: true })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/**
 * Migrations as the tables' owner, then the application's role given exactly what it needs
 * (PostgreSQL with DATABASE_OWNER_URL; see privileges.ts).
 */
export async function migrateAsOwner(owner: Kysely<any>, app: Kysely<any>): Promise<string[]> {
  const applied = await migrateToLatest(owner)
  await grantApplicationAccess(owner, await currentRole(app))
  return applied
}

/** True when every migration this build knows has been applied (used by /ready). */
export async function migrationsAreCurrent(db: Kysely<any>): Promise<boolean> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: 'kestrel_migration', migrationLockTableName: 'kestrel_migration_lock' })
  const applied = await migrator.getMigrations()
  return Object.keys(migrations).every((name) => applied.some((m) => m.name === name && m.executedAt))
}
