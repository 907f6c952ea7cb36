import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GENERAL_TEMPLATE, kindsWithoutTemplate, notifyTemplateFor } from './notify-templates.js'

const OWN = '11111111-1111-4111-8111-111111111111'
const GENERAL = '22222222-2222-4222-8222-222222222222'

describe('choosing the GOV.UK Notify template for an email', () => {
  it('uses the kind’s own template first, then the general one, else none', () => {
    assert.equal(notifyTemplateFor({ allocation: OWN, [GENERAL_TEMPLATE]: GENERAL }, 'allocation'), OWN)
    assert.equal(notifyTemplateFor({ allocation: OWN, [GENERAL_TEMPLATE]: GENERAL }, 'closure'), GENERAL)
    assert.equal(notifyTemplateFor({ allocation: OWN }, 'closure'), undefined)
    assert.equal(notifyTemplateFor({ closure: '' }, 'closure'), undefined, 'an empty id is no template')
  })

  it('lists the kinds nothing covers, and none once a general template is saved', () => {
    assert.deepEqual(kindsWithoutTemplate({ allocation: OWN }, ['allocation', 'closure', 'account_security']), ['closure', 'account_security'])
    assert.deepEqual(kindsWithoutTemplate({ [GENERAL_TEMPLATE]: GENERAL }, ['allocation', 'closure']), [])
  })
})
