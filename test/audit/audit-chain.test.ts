import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { auditRowHash, GENESIS_HASH, type ChainKey } from '../../src/domain/audit-hash.js'
import { appendAudit } from '../../src/repositories/audit-repository.js'
import { chainKeyring, currentChainKey } from '../../src/services/audit-keys.js'
import { describeChain, verifyAuditChains, verifyChain } from '../../src/services/audit-verify.js'
import { generateKey, keyId } from '../../src/services/secret-box.js'
import { startTestApp, TEST_CHAIN_KEY, TEST_KEYRING, type TestApp } from '../helpers/app.js'
import { appendOnlyRefusal } from '../helpers/database.js'
import { completeConcernForm, raiseConcernThroughForms } from '../helpers/concern-form.js'
import type { TestOrganisation, TestUser } from '../helpers/factories.js'
import { auditRowsAfter, lastAuditSeq } from '../helpers/records.js'

describe('the audit log: one row per event, append-only, tamper-evident', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser
  let dso: TestUser

  before(async () => {
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
    dso = await app.factories.user(org, ['dso'], { name: 'Dana Officer' })
  })
  after(() => app.stop())

  /** Changes a stored audit row as a database superuser could, with the guard trigger off. */
  async function tamper(statement: string) {
    const owner = app.database.owner
    await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(owner)
    try {
      await sql.raw(statement).execute(owner)
    } finally {
      await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(owner)
    }
  }

  it('writes exactly one row, with the expected action and outcome, for each sign-in, create, list, view and denial', async () => {
    const seq = await lastAuditSeq(app.database.db, org.id)
    const failed = app.client()
    await failed.get('/sign-in')
    await failed.post('/sign-in', { email: staff.email, password: 'not the password' })
    const referrer = await app.signedIn(staff)
    const id = await raiseConcernThroughForms(referrer, completeConcernForm(org))
    await referrer.get(`/concerns/${id}/confirmation`)
    await referrer.get('/my-concerns')
    await referrer.get(`/my-concerns/${id}`)
    await referrer.get('/queue')
    await referrer.get('/concerns/new') // a form page shows no case data: nothing to audit
    const officer = await app.signedIn(dso)
    await officer.get('/queue')
    await officer.get(`/concerns/${id}`)
    await officer.get('/')
    await officer.post('/sign-out')

    const rows = await auditRowsAfter(app.database.db, org.id, seq)
    assert.deepEqual(
      rows.map((r) => [r.action, r.outcome, r.actor_user_id === staff.id ? 'staff' : r.actor_user_id === dso.id ? 'dso' : r.actor_user_id]),
      [
        ['auth.sign-in', 'failure', 'staff'],
        ['auth.sign-in', 'success', 'staff'],
        ['concern.create', 'success', 'staff'],
        ['concern.view-own', 'success', 'staff'],
        ['concern.list-own', 'success', 'staff'],
        ['concern.view-own', 'success', 'staff'],
        ['access.denied', 'denied', 'staff'],
        ['auth.sign-in', 'success', 'dso'],
        ['concern.list', 'success', 'dso'],
        ['concern.view', 'success', 'dso'],
        ['auth.sign-out', 'success', 'dso'],
      ],
    )
    const requestIds = rows.map((r) => r.request_id)
    assert.ok(requestIds.every((r) => typeof r === 'string' && r.length > 0), 'every row names its request')
    assert.equal(new Set(requestIds).size, rows.length, 'one row per request')
    const text = JSON.stringify(rows)
    for (const personal of ['Margaret', 'Ellis', 'Mill Lane', 'WX1', 'bank card', 'not the password', staff.email]) {
      assert.ok(!text.includes(personal), `no personal detail in the audit log: ${personal}`)
    }
    assert.deepEqual(await verifyChain(app.database.db, org.id, TEST_KEYRING), { organisationId: org.id, ok: true, rows: await lastAuditSeq(app.database.db, org.id), unkeyedRows: 0 })
  })

  it('chains every row to the one before it', async () => {
    const rows = await auditRowsAfter(app.database.db, org.id, 0)
    assert.ok(rows.length > 5)
    rows.forEach((row, i) => {
      assert.equal(Number(row.seq), i + 1)
      if (i > 0) assert.equal(row.prev_hash, rows[i - 1]!.hash)
    })
    assert.equal(rows[0]!.prev_hash, '0'.repeat(64))
  })

  it('refuses UPDATE, DELETE and TRUNCATE on audit rows, whoever asks', async () => {
    const before = await auditRowsAfter(app.database.db, org.id, 0)
    for (const statement of [
      `UPDATE audit_event SET action = 'nothing.happened' WHERE organisation_id = '${org.id}' AND seq = 1`,
      `DELETE FROM audit_event WHERE organisation_id = '${org.id}' AND seq = 1`,
      'TRUNCATE audit_event',
    ]) {
      // The tables' owner is stopped by the trigger; on PostgreSQL the application's own role
      // has not even the privilege (privileges.ts), on the embedded engine it is the owner.
      await assert.rejects(sql.raw(statement).execute(app.database.owner), /audit_event is append-only/, statement)
      await assert.rejects(sql.raw(statement).execute(app.database.db), appendOnlyRefusal('audit_event'), statement)
    }
    assert.deepEqual(await auditRowsAfter(app.database.db, org.id, 0), before)
  })

  it('detects an altered row at the right place', async () => {
    const target = 3
    await tamper(`UPDATE audit_event SET details = '{"reason":"ok"}'::jsonb WHERE organisation_id = '${org.id}' AND seq = ${target}`)
    const report = await verifyChain(app.database.db, org.id, TEST_KEYRING)
    assert.equal(report.ok, false)
    assert.equal(report.ok === false && report.firstBrokenSeq, target)
    assert.equal(report.ok === false && report.problem, 'content does not match its hash (altered)')
  })

  it('detects a removed row, and rows cut off the end, in every organisation', async () => {
    const other = await app.factories.organisation('Second Council')
    const otherUser = await app.factories.user(other)
    for (let i = 0; i < 4; i++) await (await app.signedIn(otherUser)).get('/my-concerns')
    assert.equal((await verifyChain(app.database.db, other.id, TEST_KEYRING)).ok, true)

    await tamper(`DELETE FROM audit_event WHERE organisation_id = '${other.id}' AND seq = 2`)
    const gap = await verifyChain(app.database.db, other.id, TEST_KEYRING)
    assert.deepEqual(gap.ok === false && [gap.firstBrokenSeq, gap.problem], [2, 'row 2 is missing'])

    const third = await app.factories.organisation('Third Council')
    const thirdUser = await app.factories.user(third)
    for (let i = 0; i < 3; i++) await (await app.signedIn(thirdUser)).get('/my-concerns')
    const last = await lastAuditSeq(app.database.db, third.id)
    await tamper(`DELETE FROM audit_event WHERE organisation_id = '${third.id}' AND seq = ${last}`)
    const cut = await verifyChain(app.database.db, third.id, TEST_KEYRING)
    assert.equal(cut.ok === false && cut.firstBrokenSeq, last)
    assert.match(cut.ok === false ? cut.problem : '', /missing/)

    const all = await verifyAuditChains(app.database.db, TEST_KEYRING)
    assert.deepEqual(
      all.filter((r) => !r.ok).map((r) => r.organisationId).sort(),
      [org.id, other.id, third.id].sort(),
    )
  })

  it('seals rows with a key held outside the database, so a rewrite by someone without it is found', async () => {
    const council = await app.factories.organisation('Keyed Council')
    const person = await app.factories.user(council)
    for (let i = 0; i < 3; i++) await (await app.signedIn(person)).get('/my-concerns')
    const rows = await auditRowsAfter(app.database.db, council.id, 0)
    assert.ok(rows.length >= 4)
    assert.ok(rows.every((r) => r.hash_key_id === TEST_CHAIN_KEY.id), 'every row names the key that sealed it')

    // What an insider with the owner's password but not the key can do: change a row, then
    // recompute plain SHA-256 hashes from there to the chain head (or HMACs with a guessed key).
    const rewrite = async (from: number, key: ChainKey | null) => {
      let prev = rows[from - 2]?.hash ?? GENESIS_HASH
      for (const row of rows.slice(from - 1)) {
        const forged = { ...row, seq: Number(row.seq), details: Number(row.seq) === from ? { changed: true } : (row.details as Record<string, unknown>) }
        const hash = auditRowHash(prev, forged, key)
        const keyIdValue = key ? `'${key.id}'` : 'NULL'
        await tamper(`UPDATE audit_event SET details = '${JSON.stringify(forged.details).replaceAll("'", "''")}'::jsonb, prev_hash = '${prev}', hash = '${hash}', hash_key_id = ${keyIdValue} WHERE organisation_id = '${council.id}' AND seq = ${row.seq}`)
        prev = hash
      }
      await sql.raw(`UPDATE audit_chain_head SET last_hash = '${prev}' WHERE organisation_id = '${council.id}'`).execute(app.database.owner)
    }

    await rewrite(2, null)
    const downgraded = await verifyChain(app.database.db, council.id, TEST_KEYRING)
    assert.deepEqual(downgraded.ok === false && [downgraded.firstBrokenSeq, downgraded.problem], [2, 'has no audit key although the rows before it do (rewritten without the key)'])

    await rewrite(2, { id: TEST_CHAIN_KEY.id, secret: Buffer.alloc(32, 7) })
    const guessed = await verifyChain(app.database.db, council.id, TEST_KEYRING)
    assert.deepEqual(guessed.ok === false && [guessed.firstBrokenSeq, guessed.problem], [2, 'content does not match its hash (altered)'])

    // Rewritten from the first row without any key, the chain holds together, but the report
    // says no row is keyed: on a system that has a key, that is itself the finding.
    await rewrite(1, null)
    const whole = await verifyChain(app.database.db, council.id, TEST_KEYRING)
    assert.deepEqual(whole, { organisationId: council.id, ok: true, rows: rows.length, unkeyedRows: rows.length })
    assert.match(describeChain(whole), /none of them is keyed/)
  })

  it('checks rows sealed before a key rotation with the previous key, and names a key it does not hold', async () => {
    const council = await app.factories.organisation('Rotating Council')
    const oldKeys = { current: generateKey(), previous: [] }
    const newKeys = { current: generateKey(), previous: [oldKeys.current] }
    const append = (chainKey: ChainKey | null, n: number) =>
      app.database.db.transaction().execute(async (tx) => {
        for (let i = 0; i < n; i++) await appendAudit(tx, { organisationId: council.id, actorUserId: null, action: 'test.event', occurredAt: app.clock.now(), details: { i }, chainKey })
      })
    await append(null, 2) // written before keying (plain SHA-256)
    await append(currentChainKey(oldKeys), 2)
    await append(currentChainKey(newKeys), 2)

    const both = await verifyChain(app.database.db, council.id, chainKeyring(newKeys))
    assert.deepEqual(both, { organisationId: council.id, ok: true, rows: 6, unkeyedRows: 2 })
    assert.match(describeChain(both), /the first 2 were written before the chain was keyed/)

    const newOnly = await verifyChain(app.database.db, council.id, chainKeyring({ current: newKeys.current, previous: [] }))
    assert.deepEqual(newOnly.ok === false && [newOnly.firstBrokenSeq, newOnly.problem], [3, `was sealed with audit key ${keyId(oldKeys.current)}, which is not configured here, so it cannot be checked (set that encryption key in KESTREL_ENCRYPTION_KEY_PREVIOUS)`])

    // Once keyed, always keyed: an unkeyed row after keyed ones is refused by the verifier.
    await append(null, 1)
    const late = await verifyChain(app.database.db, council.id, chainKeyring(newKeys))
    assert.deepEqual(late.ok === false && late.firstBrokenSeq, 7)
  })
})
