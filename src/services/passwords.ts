import { hash, verify } from '@node-rs/argon2'
import { randomInt } from 'node:crypto'

// argon2id with the library defaults (19 MiB, t=2, p=1): OWASP's recommended minimum.
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

let dummyHash: Promise<string> | undefined

/** Verifies against a real or a dummy hash so unknown accounts take the same time. */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= hash('kestrel-dummy-password-for-timing')
  const target = passwordHash ?? (await dummyHash)
  try {
    const ok = await verify(target, password)
    return ok && passwordHash !== null && passwordHash !== undefined
  } catch {
    return false
  }
}

// No 0/O, 1/l/I: easy to read out over the phone.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** A temporary password an administrator can pass on (about 80 bits); it must be changed at first sign-in. */
export function generateTemporaryPassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''))
  return groups.join('-')
}

export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 128
