import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createTestDatabase } from '../../../test/helpers/database.js'
import { TestClock } from '../../../test/helpers/clock.js'
import { Factories } from '../../../test/helpers/factories.js'
import { testConfig } from '../../../test/helpers/app.js'
import type { Database } from '../../db/connect.js'
import { createLogger } from '../../logger.js'
import { saveNotificationSettings } from '../../repositories/notification-settings-repository.js'
import { referrerUpdateMessage } from '../notification-messages.js'
import { notifyPerson } from '../notifications.js'
import { NotifyError, parseNotifyApiKey, sendNotifyEmail } from './notify-client.js'
import { deliverDueEmails } from './outbox-delivery.js'

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506'
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0'
const API_KEY = `kestrel_live-${SERVICE_ID}-${SECRET}`
const TEMPLATE_ID = 'f33517ff-2a88-4f6e-b855-c550268ce08a'

interface Captured {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: Record<string, unknown>
}

/** A stand-in for the Notify API on loopback: records each request and answers as Notify does. */
describe('the GOV.UK Notify client', () => {
  let server: http.Server
  let baseUrl: string
  const requests: Captured[] = []
  let answer: { status: number; body: unknown } = { status: 201, body: {} }
  let database: Database

  before(async () => {
    server = http.createServer((req, res) => {
      let raw = ''
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')))
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> })
        res.writeHead(answer.status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(answer.body))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    database = await createTestDatabase()
  })
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await database.close()
  })

  it('reads the service id and secret from the end of an API key', () => {
    assert.deepEqual(parseNotifyApiKey(API_KEY), { serviceId: SERVICE_ID, secret: SECRET })
    assert.deepEqual(parseNotifyApiKey(`my-key-with-dashes-${SERVICE_ID}-${SECRET}`), { serviceId: SERVICE_ID, secret: SECRET })
    assert.equal(parseNotifyApiKey('not-a-key'), undefined)
  })

  it('POSTs /v2/notifications/email with a Bearer JWT (HS256, iss = service id, iat = now) and the documented body', async () => {
    answer = { status: 201, body: { id: '740e5834-3a29-46b4-9a6f-16142fde533a', reference: 'ref', content: {}, template: {} } }
    const now = new Date('2026-03-09T09:30:00Z')
    const id = await sendNotifyEmail({ baseUrl, apiKey: API_KEY, templateId: TEMPLATE_ID, emailAddress: 'sam@council.example', personalisation: { reference: 'SG-2026-00001' }, reference: 'outbox-id-1', now })
    assert.equal(id, '740e5834-3a29-46b4-9a6f-16142fde533a')
    const request = requests.at(-1)!
    assert.equal(request.method, 'POST')
    assert.equal(request.url, '/v2/notifications/email')
    assert.equal(request.headers['content-type'], 'application/json')
    assert.deepEqual(request.body, { email_address: 'sam@council.example', template_id: TEMPLATE_ID, personalisation: { reference: 'SG-2026-00001' }, reference: 'outbox-id-1' })
    const [scheme, token] = String(request.headers.authorization).split(' ')
    assert.equal(scheme, 'Bearer')
    const [header, payload, signature] = token!.split('.')
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { typ: 'JWT', alg: 'HS256' })
    assert.deepEqual(JSON.parse(Buffer.from(payload!, 'base64url').toString()), { iss: SERVICE_ID, iat: Math.floor(now.getTime() / 1000) })
    assert.equal(signature, createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url'))
  })

  it('reports Notify’s error messages', async () => {
    answer = { status: 400, body: { status_code: 400, errors: [{ error: 'BadRequestError', message: 'Template not found' }] } }
    await assert.rejects(
      sendNotifyEmail({ baseUrl, apiKey: API_KEY, templateId: TEMPLATE_ID, emailAddress: 'sam@council.example', personalisation: {}, reference: 'x', now: new Date() }),
      (e: unknown) => e instanceof NotifyError && e.status === 400 && /BadRequestError: Template not found/.test(e.message),
    )
  })

  it('delivers outbox emails through Notify with the template for their kind; a failure is retried, not lost', async () => {
    const clock = new TestClock('2026-03-09T09:00:00Z')
    const factories = new Factories(database.db, clock)
    const org = await factories.organisation()
    const staff = await factories.user(org, [], { email: 'sam.staff@council.example' })
    await saveNotificationSettings(database.db, org.id, 0, { emailDelivery: 'notify', notifyApiKey: API_KEY, notifyTemplates: { referrer_update: TEMPLATE_ID } }, clock.now())
    await database.db.transaction().execute((tx) => notifyPerson(tx, org.id, { id: staff.id, email: staff.email }, referrerUpdateMessage('SG-2026-00002', 'Dana DSO', 'http://k/x'), { now: clock.now() }))
    const deps = { db: database.db, config: testConfig({ email: { smtpUrl: null, from: 'x@y.z', notifyBaseUrl: baseUrl } }), logger: createLogger('silent'), now: () => clock.now() }

    answer = { status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } }
    assert.deepEqual(await deliverDueEmails(deps), { sent: 0, failed: 1 })
    const waiting = await database.db.selectFrom('email_outbox').selectAll().where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
    assert.equal(waiting.status, 'pending')

    answer = { status: 201, body: { id: 'a4b5c6d7-0000-4000-8000-000000000001' } }
    clock.advanceMinutes(5)
    assert.deepEqual(await deliverDueEmails(deps), { sent: 1, failed: 0 })
    const sent = await database.db.selectFrom('email_outbox').selectAll().where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
    assert.equal(sent.status, 'sent')
    assert.equal(sent.provider_reference, 'a4b5c6d7-0000-4000-8000-000000000001')
    const request = requests.at(-1)!
    assert.equal(request.body.template_id, TEMPLATE_ID)
    assert.equal(request.body.email_address, 'sam.staff@council.example')
    assert.equal(request.body.reference, sent.id)
    const personalisation = request.body.personalisation as Record<string, string>
    assert.equal(personalisation.lead_name, 'Dana DSO')
    assert.match(personalisation.body!, /has looked at it and dealt with it/)
  })
})
