import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * Encryption at rest for small secrets (authenticator secrets): AES-256-GCM with a random
 * 96-bit nonce, bound to the record it belongs to (associated data), so a sealed value copied
 * into another person's row does not open. The key id in each value lets an old key stay
 * configured for reading while everything is re-sealed with the new one.
 */
export interface EncryptionKeys {
  current: Buffer
  /** Older keys, for reading values sealed before a rotation. */
  previous: readonly Buffer[]
}

const VERSION = 'v1'

export function keyId(key: Buffer): string {
  return createHash('sha256').update('kestrel-key-id').update(key).digest('hex').slice(0, 12)
}

export function seal(keys: EncryptionKeys, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keys.current, iv)
  cipher.setAAD(Buffer.from(associatedData, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return [VERSION, keyId(keys.current), iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.')
}

export class SecretBoxError extends Error {}

/** Opens a sealed value; `stale` means it was sealed with a previous key and should be re-sealed. */
export function open(keys: EncryptionKeys, sealed: string, associatedData: string): { plaintext: string; stale: boolean } {
  const parts = sealed.split('.')
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('Not a sealed value')
  const [, kid, iv, tag, body] = parts as [string, string, string, string, string]
  const key = [keys.current, ...keys.previous].find((k) => keyId(k) === kid)
  if (!key) throw new SecretBoxError('Sealed with a key that is not configured')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(associatedData, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    const plaintext = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    return { plaintext, stale: key !== keys.current }
  } catch {
    throw new SecretBoxError('The sealed value has been altered or belongs to another record')
  }
}

/** A key given as 32 bytes in base64 (openssl rand -base64 32), base64url, or 64 hex digits. */
export function parseKey(value: string, name: string): Buffer {
  const text = value.trim()
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex')
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) return Buffer.from(text, 'base64')
  if (/^[A-Za-z0-9_-]{43}$/.test(text)) return Buffer.from(text, 'base64url')
  throw new Error(`${name} must be 32 random bytes in base64 (for example from "openssl rand -base64 32") or 64 hexadecimal digits`)
}

export function generateKey(): Buffer {
  return randomBytes(32)
}
