import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ownRoleChangeError } from './roles.js'

describe('an administrator changing their own roles', () => {
  it('is allowed only when the roles stay exactly as they are, in any order', () => {
    assert.equal(ownRoleChangeError(['admin', 'auditor'], ['auditor', 'admin']), undefined)
    assert.equal(ownRoleChangeError(['admin'], ['admin']), undefined)
  })

  it('refuses granting themselves a role, with or without keeping their admin role', () => {
    assert.equal(ownRoleChangeError(['admin'], ['admin', 'dso']), 'You cannot change your own roles. Ask another administrator.')
    assert.equal(ownRoleChangeError(['admin', 'auditor'], ['admin']), 'You cannot change your own roles. Ask another administrator.')
  })

  it('says plainly when they would lose their own administrator role', () => {
    assert.equal(ownRoleChangeError(['admin'], ['dso']), 'You cannot remove your own administrator role. Ask another administrator.')
  })
})
