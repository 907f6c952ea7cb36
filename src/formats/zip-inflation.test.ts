import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { zipWith } from '../../test/helpers/sample-files.js'
import { zipInflation } from './zip-inflation.js'

describe('how far a ZIP inflates', () => {
  it('counts what the entries really inflate to, against the limit', async () => {
    const zip = Buffer.from(zipWith(['a.xml', 'b.xml'], () => 'x'.repeat(10_000)))
    assert.equal(await zipInflation(zip, 20_000), 'within')
    assert.equal(await zipInflation(zip, 19_999), 'too-large')
  })

  it('is not fooled by sizes the archive declares', async () => {
    const zip = Buffer.from(zipWith(['a.xml'], () => '0'.repeat(1_000_000)))
    // Declare a tiny uncompressed size in both headers: the count comes from inflating.
    zip.writeUInt32LE(10, 22)
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
    zip.writeUInt32LE(10, central + 24)
    assert.equal(await zipInflation(zip, 100_000), 'too-large')
  })

  it('calls anything that is not a readable ZIP unreadable', async () => {
    assert.equal(await zipInflation(Buffer.from('PK\u0003\u0004 not really a zip'), 1000), 'unreadable')
    const broken = Buffer.from(zipWith(['a.xml'], () => 'hello'))
    broken.fill(0xff, 30 + 5, 30 + 5 + 4) // damage the deflated data
    assert.notEqual(await zipInflation(broken, 1000), 'within')
  })
})
