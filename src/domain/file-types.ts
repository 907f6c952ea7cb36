/**
 * Which documents Kestrel accepts, decided by what the file contains, not only by its name:
 * PDF, Word (DOCX), Excel (XLSX), JPG, PNG and plain text. Office files with macros (a
 * vbaProject part) are refused, as is anything whose contents do not match its name. Files are
 * always downloaded as attachments, never shown in the browser.
 */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
export const MAX_DOCUMENT_LABEL = '10MB'

export type FileType = 'pdf' | 'docx' | 'xlsx' | 'jpeg' | 'png' | 'text'

export const FILE_TYPES: Record<FileType, { label: string; mime: string; extensions: readonly string[] }> = {
  pdf: { label: 'PDF', mime: 'application/pdf', extensions: ['pdf'] },
  docx: { label: 'Word document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  xlsx: { label: 'Excel spreadsheet', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  jpeg: { label: 'JPG image', mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { label: 'PNG image', mime: 'image/png', extensions: ['png'] },
  text: { label: 'Text file', mime: 'text/plain; charset=utf-8', extensions: ['txt'] },
}

export const WRONG_TYPE_MESSAGE = 'The selected file must be a PDF, Word document (DOCX), Excel spreadsheet (XLSX), JPG, PNG or text file'

export type FileCheck = { ok: true; type: FileType } | { ok: false; message: string }

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((b, i) => bytes[i] === b)
}

/** File names in a ZIP's central directory (Office documents are ZIP packages). */
export function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment (< 64KB).
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return undefined
  const count = view.getUint16(eocd + 10, true)
  let offset = view.getUint32(eocd + 16, true)
  const names: string[] = []
  const decoder = new TextDecoder('utf-8')
  for (let n = 0; n < count; n++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50) return undefined
    const nameLength = view.getUint16(offset + 28, true)
    const extraLength = view.getUint16(offset + 30, true)
    const commentLength = view.getUint16(offset + 32, true)
    if (offset + 46 + nameLength > bytes.length) return undefined
    names.push(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)))
    offset += 46 + nameLength + extraLength + commentLength
  }
  return names
}

function officeType(bytes: Uint8Array): FileType | 'macro' | undefined {
  const names = zipEntryNames(bytes)
  if (!names || !names.includes('[Content_Types].xml')) return undefined
  if (names.some((n) => /vbaProject\.bin$/i.test(n))) return 'macro'
  if (names.includes('word/document.xml')) return 'docx'
  if (names.includes('xl/workbook.xml')) return 'xlsx'
  return undefined
}

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** What the bytes are, whatever the file is called. */
export function sniffFileType(bytes: Uint8Array): FileType | 'macro' | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf' // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeType(bytes)
  // Executables and scripts are never "text", even when they decode as UTF-8.
  if (startsWith(bytes, [0x4d, 0x5a]) || startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46]) || startsWith(bytes, [0x23, 0x21])) return undefined
  if (isPlainText(bytes)) return 'text'
  return undefined
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase()
}

/** Checks an upload: not empty, not too large, an allowed type, and contents that match the name. */
export function checkUpload(name: string, bytes: Uint8Array, options: { truncated?: boolean } = {}): FileCheck {
  if (options.truncated || bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, message: `The selected file must be smaller than ${MAX_DOCUMENT_LABEL}` }
  if (bytes.length === 0) return { ok: false, message: 'The selected file is empty' }
  const claimed = (Object.keys(FILE_TYPES) as FileType[]).find((t) => FILE_TYPES[t].extensions.includes(extensionOf(name)))
  if (!claimed) return { ok: false, message: WRONG_TYPE_MESSAGE }
  const actual = sniffFileType(bytes)
  if (actual === 'macro') return { ok: false, message: 'The selected file contains macros. Save it without macros (as DOCX or XLSX) and try again' }
  if (actual !== claimed) return { ok: false, message: `The selected file is not a real ${FILE_TYPES[claimed].label}: its contents do not match its name` }
  return { ok: true, type: actual }
}

/**
 * The name a download is saved under: the original name with anything unsafe for a file system
 * or a header removed, and the extension always the one its checked type allows.
 */
export function safeDownloadName(originalName: string, type: FileType): string {
  const base = originalName
    .replace(/\.[^.]*$/, '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"\\/:*?<>|;]+/g, '_')
    .trim()
    .slice(0, 150)
  return `${base || 'document'}.${FILE_TYPES[type].extensions[0]}`
}

export function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)}MB`
}
