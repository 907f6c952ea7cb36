import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { seedDemo } from '../../../db/seed/demo.js'
import { demoAccounts } from '../../../db/seed/demo.js'
import { DEMO_PASSWORD } from '../../../db/seed/demo-plan.js'
import { startTestApp, TEST_CHAIN_KEY, type TestApp } from '../../../../test/helpers/app.js'
import type { TestClient } from '../../../../test/helpers/client.js'
import { engineName } from '../../../../test/helpers/database.js'

/**
 * The demo council must reproduce the published performance of seed 000 §5 (North West
 * Leicestershire, Community Scrutiny Committee, 5 April 2023). The report writes these sentences
 * from the data; this test compares them with the published figures.
 */
describe(`the committee report against the demo data (${engineName})`, () => {
  let app: TestApp
  let manager: TestClient

  before(async () => {
    app = await startTestApp({ now: '2026-11-24T10:00:00Z' })
    await seedDemo(app.database.db, app.clock.now(), TEST_CHAIN_KEY)
    const account = demoAccounts().accounts.find((a) => a.role.startsWith('Safeguarding manager'))!
    manager = await app.signedIn({ email: account.email, password: DEMO_PASSWORD })
  })
  after(() => app?.stop())

  it('states 130 referrals in 2022-23 against 125 in 2021-22', async () => {
    const page = await manager.get('/reports/committee?year=2022')
    assert.equal(page.status, 200)
    const volume = page.$('[data-paragraph="volume"]').text().trim()
    assert.match(volume, /^During 2022-23 DSOs managed a total of 130 referrals from members of staff\./)
    assert.match(volume, /This compared with 125 referrals received during 2021-22\.$/)
  })

  it('states that 100% of new referrals were addressed within the target of two working days', async () => {
    const page = await manager.get('/reports/committee?year=2022')
    assert.equal(page.$('[data-paragraph="target"]').text().trim(), 'During 2022-23 100% of new referrals were addressed within the corporate target of two working days.')
  })

  it('states that 93% resulted in an onward referral, as in 2021-22', async () => {
    const page = await manager.get('/reports/committee?year=2022')
    assert.equal(
      page.$('[data-paragraph="onward"]').text().trim(),
      '93% of safeguarding referrals made during 2022-23 resulted in a DSO making an onward referral to support agencies. This compared with 93% in 2021-22.',
    )
  })

  it('names the ten referring services', async () => {
    const page = await manager.get('/reports/committee?year=2022')
    assert.equal(
      page.$('[data-paragraph="services"]').text().trim(),
      'Ten different Council services made referrals during the period. The referrals were received from Customer Services, Housing Management, Housing Choices, Environmental Protection, Asset Management/Repairs, Stronger & Safer Communities, Leisure Services, Revenues & Benefits, Business Focus and Environmental Health.',
    )
  })
})
