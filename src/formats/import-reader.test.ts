import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import writeXlsxFile from 'write-excel-file/node'
import { readImportFile } from './import-reader.js'

async function workbook(): Promise<Buffer> {
  const rows = [
    [{ value: 'external_reference', type: String }, { value: 'types', type: String }],
    [{ value: 'XL-1', type: String }, { value: 'Neglect', type: String }],
  ]
  return Buffer.from(await writeXlsxFile(rows as never).toBuffer())
}

describe('reading an uploaded spreadsheet', () => {
  it('reads the first sheet of an XLSX workbook', async () => {
    const read = await readImportFile(await workbook())
    assert.deepEqual(read, { ok: true, format: 'xlsx', rows: [['external_reference', 'types'], ['XL-1', 'Neglect']] })
  })

  it('refuses a workbook whose unpacked size cannot be counted, although a streaming reader could open it', async () => {
    // Without its central directory a ZIP still streams entry by entry, so the reader would
    // inflate whatever the entries hold (a zip bomb included) with no size check first.
    const bytes = await workbook()
    const headless = bytes.subarray(0, bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])))
    const read = await readImportFile(headless)
    assert.equal(read.ok, false)
    assert.match(read.ok ? '' : read.message, /The spreadsheet could not be read/)
  })
})
