import fs from 'node:fs'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.js'
import { DATA_FOLDER_KEY_FILE } from '../../src/services/encryption-key.js'
import { TEST_ENCRYPTION_KEY } from '../helpers/app.js'
import { TestClock } from '../helpers/clock.js'
import { Factories } from '../helpers/factories.js'

/** Some of everything: organisations with services, people, concerns (with their audit rows), an authenticator. */
export async function populate(db: Kysely<DB>, dataDir?: string): Promise<{ concerns: number }> {
  // The factories seal audit rows with the test key: made an embedded folder's own key, it travels
  // with the folder and its backups, so the chain verifies wherever the folder goes.
  if (dataDir) fs.writeFileSync(path.join(dataDir, DATA_FOLDER_KEY_FILE), `${TEST_ENCRYPTION_KEY}\n`, { mode: 0o600, flag: 'wx' })
  const clock = new TestClock('2026-03-09T10:15:00Z')
  const factories = new Factories(db, clock)
  let concerns = 0
  for (const name of ['Backup Council', 'Second Council']) {
    const org = await factories.organisation(name)
    const staff = await factories.user(org, [], { name: `Referrer of ${name}` })
    const dso = await factories.user(org, ['dso'])
    await db.insertInto('user_mfa').values({ organisation_id: org.id, user_id: dso.id, secret_ciphertext: 'v1.sealed-elsewhere', enabled_at: clock.now(), last_time_step: 1, created_at: clock.now() }).execute()
    for (let i = 0; i < 3; i++) {
      clock.advanceMinutes(7)
      await factories.concern(staff, { personName: `Person ${name} ${i}`, whatHappened: `Line one\nLine two “quoted” ${i}` })
      concerns++
    }
  }
  return { concerns }
}

/**
 * Every table's full content as one fingerprint each: equal fingerprints mean equal data. Making
 * a backup and restoring one add their own audit rows (record type "backup") and move the chain
 * head, so those are left out here and checked by `backupAuditRows`.
 */
export async function fingerprint(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'audit_chain_head' ORDER BY table_name`.execute(db)
  const out: Record<string, string> = {}
  for (const { name } of tables.rows) {
    const own = name === 'audit_event' ? sql`WHERE record_type IS DISTINCT FROM 'backup'` : sql``
    const row = await sql<{ n: number; digest: string | null }>`SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${sql.table(name)} t ${own}`.execute(db)
    out[name] = `${row.rows[0]!.n}:${row.rows[0]!.digest ?? '-'}`
  }
  return out
}

/** A copy of a backup file with `change` applied to its bytes. */
export function alteredCopy(file: string, to: string, change: (bytes: Buffer) => Buffer): string {
  fs.writeFileSync(to, change(fs.readFileSync(file)))
  return to
}

/** Where a named file's bytes start inside a tar (after its 512-byte header). */
export function tarOffset(bytes: Buffer, name: string): number {
  for (let at = 0; at + 512 <= bytes.length; ) {
    const header = bytes.subarray(at, at + 512)
    const entryName = header.toString('utf8', 0, 100).replace(/\0.*$/s, '')
    const size = parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim(), 8)
    if (entryName === name) return at + 512
    at += 512 + Math.ceil(size / 512) * 512
  }
  throw new Error(`${name} not found in the archive`)
}

/** The audit rows backups and restores wrote, oldest first: one per organisation each time. */
export async function backupAuditRows(db: Kysely<DB>) {
  return db.selectFrom('audit_event').select(['organisation_id', 'action', 'actor_user_id', 'details']).where('record_type', '=', 'backup').orderBy('occurred_at').orderBy('organisation_id').execute()
}
