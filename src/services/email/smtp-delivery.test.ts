import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { SMTPServer } from 'smtp-server'
import { createTestDatabase } from '../../../test/helpers/database.js'
import { TestClock } from '../../../test/helpers/clock.js'
import { Factories } from '../../../test/helpers/factories.js'
import { testConfig } from '../../../test/helpers/app.js'
import type { Database } from '../../db/connect.js'
import { createLogger } from '../../logger.js'
import { saveNotificationSettings } from '../../repositories/notification-settings-repository.js'
import { allocationMessage } from '../notification-messages.js'
import { notifyPerson } from '../notifications.js'
import { deliverDueEmails } from './outbox-delivery.js'
import { closeSmtpTransports } from './smtp-sender.js'

interface Received {
  from: string
  to: string[]
  raw: string
}

describe('sending email by SMTP, against a real SMTP server on loopback', () => {
  let database: Database
  let server: SMTPServer
  let port: number
  const received: Received[] = []
  let refuseNext = 0

  before(async () => {
    database = await createTestDatabase()
    server = new SMTPServer({
      authOptional: true,
      hideSTARTTLS: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        if (refuseNext > 0) {
          refuseNext--
          const error = new Error('Mailbox busy, try later') as Error & { responseCode: number }
          error.responseCode = 451
          return callback(error)
        }
        callback()
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    port = (server.server.address() as AddressInfo).port
  })
  after(async () => {
    closeSmtpTransports()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await database.close()
  })

  it('sends what is in the outbox, retries a refused send later, and never sends twice', async () => {
    const clock = new TestClock('2026-03-09T08:00:00Z')
    const factories = new Factories(database.db, clock)
    const org = await factories.organisation()
    const dso = await factories.user(org, ['dso'], { email: 'dana.dso@council.example' })
    await saveNotificationSettings(database.db, org.id, 0, { emailDelivery: 'smtp', notifyApiKey: null, notifyTemplates: {} }, clock.now())
    await database.db.transaction().execute((tx) => notifyPerson(tx, org.id, { id: dso.id, email: dso.email }, allocationMessage('SG-2026-00001', 'Lead DSO', 'http://kestrel.example/concerns/1'), { now: clock.now() }))
    const config = testConfig({ email: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Kestrel <kestrel@council.example>', notifyBaseUrl: 'http://127.0.0.1:1' } })
    const deps = { db: database.db, config, logger: createLogger('silent'), now: () => clock.now() }

    // The server refuses the first attempt: the email stays in the outbox for another try.
    refuseNext = 1
    assert.deepEqual(await deliverDueEmails(deps), { sent: 0, failed: 1 })
    let row = await database.db.selectFrom('email_outbox').selectAll().executeTakeFirstOrThrow()
    assert.equal(row.status, 'pending')
    assert.equal(row.attempts, 1)
    assert.match(row.last_error ?? '', /451|busy/i)
    assert.ok(row.next_attempt_at > clock.now(), 'retried later, not at once')
    assert.equal(received.length, 0)
    // Not due yet: nothing happens.
    assert.deepEqual(await deliverDueEmails(deps), { sent: 0, failed: 0 })

    clock.advanceMinutes(2)
    assert.deepEqual(await deliverDueEmails(deps), { sent: 1, failed: 0 })
    row = await database.db.selectFrom('email_outbox').selectAll().executeTakeFirstOrThrow()
    assert.equal(row.status, 'sent')
    assert.equal(row.provider, 'smtp')
    assert.deepEqual(received.map((r) => r.to), [['dana.dso@council.example']])
    assert.equal(received[0]!.from, 'kestrel@council.example')
    assert.match(received[0]!.raw, /Subject: Kestrel: you are the Lead DSO for concern SG-2026-00001/)
    assert.match(received[0]!.raw, /X-Kestrel-Reference: /)

    clock.advanceMinutes(60)
    assert.deepEqual(await deliverDueEmails(deps), { sent: 0, failed: 0 })
    assert.equal(received.length, 1, 'a sent email is never sent again')
  })
})
