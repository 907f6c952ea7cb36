import type { IncomingMessage, ServerResponse } from 'node:http'
import type { NextFunction, Request, Response } from 'express'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The bytes a percent-encoded string stands for. */
function percentDecoded(raw: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(raw.length)
  let n = 0
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!
    if (b === 0x25 /* % */ && i + 2 < raw.length && isHex(raw[i + 1]!) && isHex(raw[i + 2]!)) {
      bytes[n++] = parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16)
      i += 2
    } else bytes[n++] = b
  }
  return bytes.subarray(0, n)
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

function badEncoding(what: string): Error {
  return Object.assign(new Error(`${what} was not valid UTF-8`), { status: 400, type: 'encoding.invalid' })
}

/**
 * A form body whose percent-escapes do not spell valid UTF-8 is refused (400), not quietly saved
 * with replacement characters: Kestrel keeps what people typed exactly, and a browser never
 * sends such bytes. Runs on the raw body, before it is parsed.
 */
export function refuseInvalidUtf8(_req: IncomingMessage, _res: ServerResponse, raw: Buffer): void {
  if (!isValidUtf8(percentDecoded(raw))) throw badEncoding('The form')
}

/**
 * The same for query strings, and NUL bytes too: PostgreSQL cannot hold NUL in text, so a NUL
 * that reached a query would end in a server error instead of a clear page.
 */
export function refuseBadQuery(req: Request, _res: Response, next: NextFunction): void {
  const at = req.originalUrl.indexOf('?')
  if (at < 0) return next()
  const bytes = percentDecoded(Buffer.from(req.originalUrl.slice(at + 1), 'latin1'))
  if (bytes.includes(0) || !isValidUtf8(bytes)) return next(badEncoding('The address'))
  next()
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
}
