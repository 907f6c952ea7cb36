import type { TestApp } from './app.js'
import type { TestClient } from './client.js'
import { totpAt } from './totp.js'

/** Sets up an authenticator for the signed-in client, as a person would: read the key, type a code. */
export async function enrolAuthenticator(app: TestApp, client: TestClient): Promise<{ secret: string; recoveryCodes: string[] }> {
  const page = await client.get('/account/two-step-verification/set-up')
  if (page.status !== 200) throw new Error(`Set-up page answered ${page.status}`)
  const secret = page.$('#setup-key').text().replace(/\s/g, '')
  const done = await client.post('/account/two-step-verification/set-up', { code: totpAt(secret, app.clock.now()) })
  if (done.status !== 200) throw new Error(`Set-up answered ${done.status}`)
  const recoveryCodes = done.$('#recovery-codes code').map((_, el) => done.$(el).text().trim()).get()
  return { secret, recoveryCodes }
}

/**
 * Password, then a code for the next time step (a code is never accepted twice, so the clock
 * moves on 30 seconds first). Returns the client, fully signed in.
 */
export async function signInWithAuthenticator(app: TestApp, user: { email: string; password: string }, secret: string): Promise<TestClient> {
  const client = app.client()
  await client.get('/sign-in')
  const first = await client.post('/sign-in', { email: user.email, password: user.password })
  if (first.location !== '/sign-in/code') throw new Error(`Expected the code step, got ${first.status} ${first.location}`)
  await client.get('/sign-in/code')
  app.clock.advance(30_000)
  const second = await client.post('/sign-in/code', { code: totpAt(secret, app.clock.now()) })
  if (second.status !== 303) throw new Error(`The code step answered ${second.status}`)
  return client
}
