import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { TestClock } from '../../../test/helpers/clock.js'
import { Factories } from '../../../test/helpers/factories.js'
import { startTestApp, testConfig, type TestApp } from '../../../test/helpers/app.js'
import { errorSummary } from '../../../test/helpers/client.js'
import type { Database } from '../../db/connect.js'
import { createLogger } from '../../logger.js'
import { saveNotificationSettings } from '../../repositories/notification-settings-repository.js'
import { EMAIL_KINDS, referrerUpdateMessage } from '../notification-messages.js'
import { notifyPerson } from '../notifications.js'
import { generateKey, seal } from '../secret-box.js'
import { NotifyError, parseNotifyApiKey, sendNotifyEmail } from './notify-client.js'
import { deliverDueEmails } from './outbox-delivery.js'

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506'
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0'
const API_KEY = `kestrel_live-${SERVICE_ID}-${SECRET}`
const TEMPLATE_ID = 'f33517ff-2a88-4f6e-b855-c550268ce08a'
const GENERAL_TEMPLATE_ID = '0c6f3d2e-5b1a-4c8e-9f7d-2a4b6c8d0e1f'

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
  /** The real app, for saving keys through the settings page; its database is the one emails are delivered from. */
  let app: TestApp

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
    app = await startTestApp({ now: '2026-03-09T09:00:00Z', config: { email: { smtpUrl: null, from: 'x@y.z', notifyBaseUrl: baseUrl } } })
    database = app.database
  })
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await app.stop()
  })

  /** The JWT of a request Notify received, checked against the real key's service id and secret. */
  function assertSignedWithRealKey(request: Captured, now: Date) {
    const [, token] = String(request.headers.authorization).split(' ')
    const [header, payload, signature] = token!.split('.')
    assert.deepEqual(JSON.parse(Buffer.from(payload!, 'base64url').toString()), { iss: SERVICE_ID, iat: Math.floor(now.getTime() / 1000) })
    assert.equal(signature, createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url'))
  }

  function deliveryDeps(clock: TestClock, config = app.server.deps.config) {
    return { db: database.db, config, logger: createLogger('silent'), now: () => clock.now() }
  }

  /** The stored key ('' if none). */
  async function storedKey(organisationId: string): Promise<string> {
    const row = await database.db.selectFrom('organisation_notification_setting').select('notify_api_key').where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()
    return row.notify_api_key ?? ''
  }

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
    // A row saved before keys were sealed holds the key in plain text: it still delivers.
    await saveNotificationSettings(database.db, org.id, 0, { emailDelivery: 'notify', notifyApiKey: API_KEY, notifyTemplates: { referrer_update: TEMPLATE_ID } }, clock.now())
    await database.db.transaction().execute((tx) => notifyPerson(tx, org.id, { id: staff.id, email: staff.email }, referrerUpdateMessage('SG-2026-00002', 'Dana DSO', 'http://k/x'), { now: clock.now() }))
    const deps = { db: database.db, config: testConfig({ email: { smtpUrl: null, from: 'x@y.z', notifyBaseUrl: baseUrl } }), logger: createLogger('silent'), now: () => clock.now() }

    answer = { status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } }
    assert.deepEqual(await deliverDueEmails(deps), { sent: 0, failed: 1 })
    const waiting = await database.db.selectFrom('email_outbox').selectAll().where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
    assert.equal(waiting.status, 'pending')
    // Reading the plain-text key to send with sealed it.
    const resealed = await storedKey(org.id)
    assert.ok(resealed.startsWith('v1.'), 'the plain-text key is sealed when it is read for delivery')
    assert.ok(!resealed.includes(SECRET) && !resealed.includes(SERVICE_ID))

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
    assertSignedWithRealKey(request, clock.now())
    assert.equal(await storedKey(org.id), resealed, 'a sealed key is not sealed again')
  })

  it('sends a kind without its own template with the general template; with neither, the email waits', async () => {
    const clock = new TestClock('2026-03-09T09:00:00Z')
    const factories = new Factories(database.db, clock)
    const org = await factories.organisation()
    const staff = await factories.user(org, [], { email: 'general.template@council.example' })
    await saveNotificationSettings(database.db, org.id, 0, { emailDelivery: 'notify', notifyApiKey: API_KEY, notifyTemplates: { allocation: TEMPLATE_ID } }, clock.now())
    await database.db.transaction().execute((tx) => notifyPerson(tx, org.id, { id: staff.id, email: staff.email }, referrerUpdateMessage('SG-2026-00003', 'Dana DSO', 'http://k/x'), { now: clock.now() }))
    const deps = deliveryDeps(clock)
    answer = { status: 201, body: { id: 'b1b2b3b4-0000-4000-8000-000000000002' } }
    const before = requests.length

    assert.deepEqual(await deliverDueEmails(deps), { sent: 0, failed: 1 })
    const waiting = await database.db.selectFrom('email_outbox').selectAll().where('organisation_id', '=', org.id).executeTakeFirstOrThrow()
    assert.equal(waiting.status, 'pending')
    assert.match(waiting.last_error ?? '', /No GOV.UK Notify template id is saved for "referrer_update" emails, and no general template/)
    assert.equal(requests.length, before, 'nothing reached Notify')

    await saveNotificationSettings(database.db, org.id, 1, { emailDelivery: 'notify', notifyApiKey: await storedKey(org.id), notifyTemplates: { allocation: TEMPLATE_ID, general: GENERAL_TEMPLATE_ID } }, clock.now())
    clock.advanceMinutes(5)
    assert.deepEqual(await deliverDueEmails(deps), { sent: 1, failed: 0 })
    assert.equal(requests.at(-1)!.body.template_id, GENERAL_TEMPLATE_ID)
    const personalisation = requests.at(-1)!.body.personalisation as Record<string, string>
    assert.ok(personalisation.subject && personalisation.body, 'a general template needs only ((subject)) and ((body))')
  })

  it('seals a key saved on the email settings page, and sends with the real key', async () => {
    const org = await app.factories.organisation()
    const admin = await app.factories.user(org, ['admin'])
    const staff = await app.factories.user(org, [], { email: 'sealed.page@council.example' })
    const client = await app.signedIn(admin)
    const page = await client.get('/admin/notification-settings')
    const templates = Object.fromEntries(EMAIL_KINDS.map((k) => [`template_${k}`, TEMPLATE_ID]))
    const saved = await client.post('/admin/notification-settings', { version: page.$('input[name="version"]').attr('value')!, emailDelivery: 'notify', notifyApiKey: API_KEY, ...templates })
    assert.deepEqual(errorSummary(saved), [])
    assert.equal(saved.status, 303)
    const stored = await storedKey(org.id)
    assert.ok(stored.startsWith('v1.'), 'the column holds a sealed value')
    assert.ok(!stored.includes(SECRET) && !stored.includes(SERVICE_ID), 'and not the key')

    const clock = new TestClock(app.clock.now())
    await database.db.transaction().execute((tx) => notifyPerson(tx, org.id, { id: staff.id, email: staff.email }, referrerUpdateMessage('SG-2026-00003', 'Dana DSO', 'http://k/y'), { now: clock.now() }))
    answer = { status: 201, body: { id: 'a4b5c6d7-0000-4000-8000-000000000002' } }
    assert.deepEqual(await deliverDueEmails(deliveryDeps(clock)), { sent: 1, failed: 0 })
    const request = requests.at(-1)!
    assert.equal(request.body.email_address, 'sealed.page@council.example')
    assertSignedWithRealKey(request, clock.now())
  })

  it('does not open a sealed key copied into another organisation’s row, or sealed with another encryption key: the attempt fails and the email waits', async () => {
    const clock = new TestClock(app.clock.now())
    const factories = new Factories(database.db, clock)
    const keys = app.server.deps.config.encryptionKeys!
    const owner = await factories.organisation()
    const ownerSealed = seal(keys, API_KEY, `notify_api_key:${owner.id}`)
    const other = await factories.organisation()
    const staff = await factories.user(other, [], { email: 'copied.key@council.example' })
    await saveNotificationSettings(database.db, other.id, 0, { emailDelivery: 'notify', notifyApiKey: ownerSealed, notifyTemplates: { referrer_update: TEMPLATE_ID } }, clock.now())
    await database.db.transaction().execute((tx) => notifyPerson(tx, other.id, { id: staff.id, email: staff.email }, referrerUpdateMessage('SG-2026-00004', 'Dana DSO', 'http://k/z'), { now: clock.now() }))
    const before = requests.length
    answer = { status: 201, body: { id: 'a4b5c6d7-0000-4000-8000-000000000003' } }

    assert.deepEqual(await deliverDueEmails(deliveryDeps(clock)), { sent: 0, failed: 1 })
    let row = await database.db.selectFrom('email_outbox').selectAll().where('organisation_id', '=', other.id).executeTakeFirstOrThrow()
    assert.equal(row.status, 'pending', 'kept in the outbox for another attempt')
    assert.match(row.last_error ?? '', /The saved GOV\.UK Notify API key cannot be opened/)
    assert.ok(!row.last_error!.includes(SECRET) && !row.last_error!.includes(SERVICE_ID), 'the error does not contain the key')
    assert.equal(requests.length, before, 'nothing was sent to Notify')
    assert.equal(await storedKey(other.id), ownerSealed, 'the stored value is left as it is')

    // Sealed for this organisation, but with a key this server does not have.
    await database.db.updateTable('organisation_notification_setting').set({ notify_api_key: seal({ current: generateKey(), previous: [] }, API_KEY, `notify_api_key:${other.id}`) }).where('organisation_id', '=', other.id).execute()
    clock.advanceMinutes(5)
    assert.deepEqual(await deliverDueEmails(deliveryDeps(clock)), { sent: 0, failed: 1 })
    row = await database.db.selectFrom('email_outbox').selectAll().where('organisation_id', '=', other.id).executeTakeFirstOrThrow()
    assert.equal(row.status, 'pending')
    assert.match(row.last_error ?? '', /cannot be opened \(Sealed with a key that is not configured\): check KESTREL_ENCRYPTION_KEY/)
    assert.equal(requests.length, before)

    // With the right value, the same email goes.
    await database.db.updateTable('organisation_notification_setting').set({ notify_api_key: seal(keys, API_KEY, `notify_api_key:${other.id}`) }).where('organisation_id', '=', other.id).execute()
    clock.advanceMinutes(5)
    assert.deepEqual(await deliverDueEmails(deliveryDeps(clock)), { sent: 1, failed: 0 })
    assertSignedWithRealKey(requests.at(-1)!, clock.now())
  })
})
