import { generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'

/**
 * Time-based one-time passwords (RFC 6238) as every authenticator app expects them: SHA-1,
 * six digits, 30-second steps, a 160-bit Base32 secret. The time comes from the app's clock.
 */
export const TOTP_PERIOD_SECONDS = 30

export function newTotpSecret(): string {
  return generateSecret({ length: 20 })
}

export type TotpCheck = { ok: true; timeStep: number } | { ok: false; reason: 'wrong' | 'reused' }

/**
 * Accepts the code for now or one step either side (clock drift), but never a time step at or
 * before the last one accepted: a code read over someone's shoulder cannot be used again.
 */
export async function checkTotp(secret: string, code: string, now: Date, lastTimeStep: number | null): Promise<TotpCheck> {
  const epoch = Math.floor(now.getTime() / 1000)
  const result = await verify({ secret, token: code, epoch, epochTolerance: TOTP_PERIOD_SECONDS })
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'wrong' }
  if (lastTimeStep !== null && result.timeStep <= lastTimeStep) return { ok: false, reason: 'reused' }
  return { ok: true, timeStep: result.timeStep }
}

/** The otpauth:// link an authenticator app reads from the QR code. */
export function totpUri(issuer: string, account: string, secret: string): string {
  return generateURI({ issuer, label: account, secret })
}

/** The QR code as an SVG data URI: allowed by the CSP (img-src 'self' data:), no script needed. */
export async function qrCodeDataUri(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`
}

/** Groups of four, as people read a secret into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.match(/.{1,4}/g)!.join(' ')
}
