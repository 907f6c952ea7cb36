import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkUpload, MAX_DOCUMENT_BYTES, safeDownloadName, sniffFileType, WRONG_TYPE_MESSAGE, zipEntryNames } from './file-types.js'
import { minimalDocx, minimalPdf, minimalPng, zipWith } from '../../test/helpers/sample-files.js'

describe('document types, checked by content', () => {
  it('recognises each allowed type from its contents', () => {
    assert.equal(sniffFileType(minimalPdf()), 'pdf')
    assert.equal(sniffFileType(minimalPng()), 'png')
    assert.equal(sniffFileType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'jpeg')
    assert.equal(sniffFileType(minimalDocx()), 'docx')
    assert.equal(sniffFileType(zipWith(['[Content_Types].xml', 'xl/workbook.xml'])), 'xlsx')
    assert.equal(sniffFileType(new TextEncoder().encode('Called ASC, spoke to duty worker.\n')), 'text')
  })

  it('lists the parts of a ZIP package', () => {
    assert.deepEqual(zipEntryNames(minimalDocx()), ['[Content_Types].xml', 'word/document.xml'])
  })

  it('accepts a file whose contents match its name', () => {
    assert.deepEqual(checkUpload('Strategy meeting.pdf', minimalPdf()), { ok: true, type: 'pdf' })
    assert.deepEqual(checkUpload('photo.PNG', minimalPng()), { ok: true, type: 'png' })
  })

  it('refuses a program renamed as a PDF', () => {
    const exe = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03])
    assert.deepEqual(checkUpload('minutes.pdf', exe), { ok: false, message: 'The selected file is not a real PDF: its contents do not match its name' })
  })

  it('refuses a script saved as text', () => {
    assert.equal(checkUpload('notes.txt', new TextEncoder().encode('#!/bin/sh\nrm -rf /\n')).ok, false)
  })

  it('refuses types that are not allowed, whatever they contain', () => {
    assert.deepEqual(checkUpload('page.html', new TextEncoder().encode('<script>alert(1)</script>')), { ok: false, message: WRONG_TYPE_MESSAGE })
    assert.deepEqual(checkUpload('no-extension', minimalPdf()), { ok: false, message: WRONG_TYPE_MESSAGE })
  })

  it('refuses Office files with macros', () => {
    const macro = zipWith(['[Content_Types].xml', 'word/document.xml', 'word/vbaProject.bin'])
    assert.match((checkUpload('letter.docx', macro) as { message: string }).message, /contains macros/)
  })

  it('refuses empty and too-large files', () => {
    assert.deepEqual(checkUpload('empty.pdf', new Uint8Array()), { ok: false, message: 'The selected file is empty' })
    assert.deepEqual(checkUpload('big.pdf', minimalPdf(), { truncated: true }), { ok: false, message: 'The selected file must be smaller than 10MB' })
    assert.equal(checkUpload('big.txt', new Uint8Array(MAX_DOCUMENT_BYTES + 1).fill(0x41)).ok, false)
  })

  it('makes a safe download name with the extension of the checked type', () => {
    assert.equal(safeDownloadName('Visit "notes"; 3/4.pdf', 'pdf'), 'Visit _notes_ 3_4.pdf')
    assert.equal(safeDownloadName('report.exe.pdf', 'pdf'), 'report.exe.pdf')
    assert.equal(safeDownloadName('.pdf', 'pdf'), 'document.pdf')
  })
})
