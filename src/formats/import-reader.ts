import { readSheet } from 'read-excel-file/node'
import type { Cell } from '../domain/import/historical-rows.js'
import { CsvSyntaxError, parseCsv } from './csv-reader.js'
import { zipInflation } from './zip-inflation.js'

/**
 * Turns an uploaded file into rows of cells, deciding what it is from its content, not its name:
 * an XLSX workbook (a ZIP), or CSV text that must be UTF-8. Every way a file can be unreadable
 * has its own plain message saying how to fix it.
 */
export type ImportFile = { ok: true; format: 'csv' | 'xlsx'; rows: Cell[][] } | { ok: false; message: string }

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04])
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0])

export async function readImportFile(bytes: Buffer): Promise<ImportFile> {
  if (bytes.length === 0) return { ok: false, message: 'The file is empty' }
  if (bytes.subarray(0, 4).equals(ZIP)) return readWorkbook(bytes)
  if (bytes.subarray(0, 4).equals(OLE2)) return { ok: false, message: 'This is an old-style Excel file (.xls). Open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV UTF-8' }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, message: 'The file is saved as UTF-16 text. Save it again as “CSV UTF-8 (Comma delimited)”' }
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, message: 'The file is not a spreadsheet Kestrel can read: it is neither an XLSX workbook nor UTF-8 text. If it is a CSV file, save it again as “CSV UTF-8 (Comma delimited)”' }
  }
  if (text.includes('\u0000')) return { ok: false, message: 'The file is not a CSV or XLSX spreadsheet' }
  try {
    return { ok: true, format: 'csv', rows: parseCsv(text.replace(/^\uFEFF/, '')) }
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { ok: false, message: `The file is not valid CSV: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}` }
    throw error
  }
}

/** A workbook that unpacks to more than this is refused before it is read (a zip bomb, or far too big). */
export const MAX_WORKBOOK_INFLATED_BYTES = 256 * 1024 * 1024

const UNREADABLE_WORKBOOK = 'The spreadsheet could not be read. Open it in Excel, check the records are on the first sheet, and save it again as an Excel Workbook (.xlsx)'

async function readWorkbook(bytes: Buffer): Promise<ImportFile> {
  // The reader unpacks the whole sheet into memory, so the unpacked size is checked first. A ZIP
  // whose size cannot be counted is refused too: the reader would inflate it without limit.
  const inflation = await zipInflation(bytes, MAX_WORKBOOK_INFLATED_BYTES)
  if (inflation === 'too-large') {
    return { ok: false, message: 'The spreadsheet is too large to import once unpacked (over 256MB). Split it into smaller files and import them one at a time' }
  }
  if (inflation === 'unreadable') return { ok: false, message: UNREADABLE_WORKBOOK }
  try {
    const rows = (await readSheet(bytes, 1)) as Cell[][]
    return { ok: true, format: 'xlsx', rows }
  } catch {
    return { ok: false, message: UNREADABLE_WORKBOOK }
  }
}
