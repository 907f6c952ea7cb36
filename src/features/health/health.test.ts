import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../test/helpers/app.js'

describe('health checks', () => {
  let app: TestApp

  before(async () => {
    app = await startTestApp()
    const org = await app.factories.organisation()
    await app.factories.concern(await app.factories.user(org), { personName: 'Health Check Person' })
  })
  after(() => app.stop())

  for (const [path, body] of [
    ['/health', { status: 'ok' }],
    ['/ready', { status: 'ready', database: 'ok' }],
  ] as const) {
    it(`${path} answers JSON with no cookie and nothing about people`, async () => {
      const response = await fetch(`${app.url}${path}`)
      assert.equal(response.status, 200)
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
      assert.equal(response.headers.get('set-cookie'), null)
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.deepEqual(await response.json(), body)
    })
  }

  it('does not start a session for a monitoring probe, even one that sends a cookie', async () => {
    const before = await app.database.db.selectFrom('http_session').select('sid').execute()
    const response = await fetch(`${app.url}/ready`, { headers: { cookie: 'kestrel=s%3Asomething.signature' } })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('set-cookie'), null)
    assert.deepEqual(await app.database.db.selectFrom('http_session').select('sid').execute(), before)
  })
})
