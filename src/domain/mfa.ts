import type { AppRole, GrantableRole } from './roles.js'

/**
 * Roles that see case data or run the system: when their organisation requires it, people with
 * any of them must use an authenticator app as well as their password.
 */
export const MFA_ROLES: readonly GrantableRole[] = ['dso', 'safeguarding_manager', 'senior_lead_officer', 'auditor', 'admin']

export function holdsMfaRole(roles: Iterable<AppRole>): boolean {
  for (const role of roles) if ((MFA_ROLES as readonly string[]).includes(role)) return true
  return false
}

/** Must this person set up an authenticator before they may do anything else? */
export function mustEnrolMfa(roles: Iterable<AppRole>, organisationRequiresMfa: boolean, enrolled: boolean): boolean {
  return organisationRequiresMfa && !enrolled && holdsMfaRole(roles)
}

export const RECOVERY_CODE_COUNT = 10
/** Between the password and the code: after this the person starts again from their password. */
export const PENDING_MFA_MS = 10 * 60_000
export const MFA_THROTTLE_WINDOW_MS = 15 * 60_000
export const MAX_MFA_FAILURES = 5

/** People type codes with spaces (as apps show them: "123 456"); only the digits count. */
export function normaliseTotpCode(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '')
  return /^\d{6}$/.test(digits) ? digits : undefined
}

// The same unambiguous alphabet as temporary passwords: no 0/O, 1/l/I.
export const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const RECOVERY_LENGTH = 12

/** A recovery code as shown: three groups of four (about 59 bits). */
export function formatRecoveryCode(chars: string): string {
  return chars.match(/.{1,4}/g)!.join('-')
}

/** Case, spaces and dashes do not matter when a recovery code is typed back. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const plain = input.toLowerCase().replace(/[\s-]/g, '')
  if (plain.length !== RECOVERY_LENGTH) return undefined
  for (const c of plain) if (!RECOVERY_ALPHABET.includes(c)) return undefined
  return formatRecoveryCode(plain)
}

export function recoveryCodeFromIndexes(indexes: readonly number[]): string {
  if (indexes.length !== RECOVERY_LENGTH) throw new Error(`A recovery code has ${RECOVERY_LENGTH} characters`)
  return formatRecoveryCode(indexes.map((i) => RECOVERY_ALPHABET[i]!).join(''))
}

export const RECOVERY_CODE_CHARS = RECOVERY_LENGTH
