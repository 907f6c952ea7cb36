import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../src/db/schema.js'

/**
 * Fault injection on a real database engine: triggers, installed only in the test's database,
 * that make writing an audit row fail on demand — either at the insert itself (after the change
 * it records was made in the same transaction) or at COMMIT (after both were written). A use case
 * that writes its change and its audit row in one transaction then leaves neither behind.
 */
export type AuditFault = 'insert' | 'commit'

export async function installAuditFaults(db: Kysely<DB>): Promise<void> {
  await sql`CREATE TABLE test_fault (mode text PRIMARY KEY)`.execute(db)
  await sql`
    -- SECURITY DEFINER: reads test_fault as its owner, whichever role writes the audit row.
    CREATE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM test_fault WHERE mode = TG_ARGV[0]) THEN
        RAISE EXCEPTION 'injected audit fault (%)', TG_ARGV[0];
      END IF;
      RETURN NEW;
    END
    $$`.execute(db)
  await sql`CREATE TRIGGER test_fault_on_insert AFTER INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION test_fail_audit('insert')`.execute(db)
  await sql`CREATE CONSTRAINT TRIGGER test_fault_at_commit AFTER INSERT ON audit_event DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail_audit('commit')`.execute(db)
}

/** Runs `work` while every audit write fails in the given way. */
export async function withAuditFault<T>(db: Kysely<DB>, mode: AuditFault, work: () => Promise<T>): Promise<T> {
  await sql`INSERT INTO test_fault (mode) VALUES (${mode})`.execute(db)
  try {
    return await work()
  } finally {
    await sql`DELETE FROM test_fault`.execute(db)
  }
}
