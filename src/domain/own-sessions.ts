import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * A person's own sessions, as their "Your sessions" page shows them. What is kept about a session
 * for this is deliberately small: when it signed in, when it was last used (the idle-timeout
 * clock) and a coarse browser description made at sign-in ("Firefox on Windows") — never the full
 * User-Agent header or a network address.
 */

/** The User-Agent is read only this far: enough for every browser below, and no regex runs long. */
const USER_AGENT_READ = 512

/** Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari". */
const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+ (?:Mobile\/\w+ )?Safari\//, 'Safari'],
]

/** iPhone and iPad say "like Mac OS X"; Android and ChromeOS say "Linux". */
const SYSTEMS: readonly [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMacintosh\b|\bMac OS X\b/, 'Mac'],
  [/\bLinux\b/, 'Linux'],
]

/**
 * "Firefox on Windows", "Safari on iPhone", "A browser on Linux", or "Unknown browser". The answer
 * is always one of a few fixed phrases, so nothing the browser sent is stored or shown.
 */
export function describeBrowser(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, USER_AGENT_READ)
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1]
  if (browser && system) return `${browser} on ${system}`
  if (browser) return browser
  if (system) return `A browser on ${system}`
  return 'Unknown browser'
}

/**
 * What a page may name another session by. The session id is a bearer secret and never leaves
 * the server, so each session is named by a keyed hash of its id instead. The message carries a
 * label, so a handle is never the same value as the HMAC that signs the session cookie.
 */
export function sessionHandle(key: string, sid: string): string {
  return createHmac('sha256', key).update(`kestrel-session-handle:${sid}`).digest('base64url')
}

export const SESSION_HANDLE_PATTERN = /^[A-Za-z0-9_-]{43}$/

export function sameHandle(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** One session row as the repository reads it: only the few fields this page needs. */
export interface StoredSessionSummary {
  sid: string
  createdAt: number | null
  lastSeenAt: number | null
  browser: string | null
}

export interface OwnSession {
  handle: string
  current: boolean
  /** Null for sessions that began before browsers were recorded. */
  browser: string | null
  signedInAt: Date | null
  lastUsedAt: Date | null
}

const instant = (ms: number | null | undefined) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms) : null)

/**
 * The person's sessions, this one first, then the most recently used. The current session is
 * always listed, from what this request holds (its stored row may lag by up to a minute).
 */
export function ownSessions(stored: readonly StoredSessionSummary[], current: StoredSessionSummary, handleOf: (sid: string) => string): OwnSession[] {
  const toOwn = (s: StoredSessionSummary): OwnSession => ({
    handle: handleOf(s.sid),
    current: s.sid === current.sid,
    browser: s.browser,
    signedInAt: instant(s.createdAt),
    lastUsedAt: instant(s.lastSeenAt ?? s.createdAt),
  })
  const others = stored
    .filter((s) => s.sid !== current.sid)
    .map(toOwn)
    .sort((a, b) => (b.lastUsedAt?.getTime() ?? 0) - (a.lastUsedAt?.getTime() ?? 0) || (b.signedInAt?.getTime() ?? 0) - (a.signedInAt?.getTime() ?? 0))
  return [toOwn(current), ...others]
}

/** The notification after signing out of the others. */
export function signedOutMessage(count: number): string {
  if (count === 0) return 'You were not signed in anywhere else.'
  return `You have been signed out of ${count} other ${count === 1 ? 'session' : 'sessions'}.`
}
