import { createHmac } from 'node:crypto'

/**
 * RFC 6238 written out independently of otplib: tests compute codes the way an authenticator
 * app would, from the Base32 key Kestrel shows, so they prove interoperability and not just
 * that the library agrees with itself.
 */
function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const clean = input.toUpperCase().replace(/[\s=]/g, '')
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const c of clean) {
    const index = alphabet.indexOf(c)
    if (index < 0) throw new Error(`Not Base32: ${c}`)
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function totpAt(base32Secret: string, at: Date, digits = 6): string {
  const counter = Math.floor(at.getTime() / 1000 / 30)
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const hmac = createHmac('sha1', base32Decode(base32Secret)).update(message).digest()
  const offset = hmac[hmac.length - 1]! & 0x0f
  const binary = ((hmac[offset]! & 0x7f) << 24) | (hmac[offset + 1]! << 16) | (hmac[offset + 2]! << 8) | hmac[offset + 3]!
  return String(binary % 10 ** digits).padStart(digits, '0')
}
