/**
 * Small numbers in tables shared outside the organisation (domain.md "Small numbers"): counts of
 * 1 to 4 are shown as [c], as the national statistics do, and other counts may be rounded to the
 * nearest 5 so a suppressed count cannot be worked out from a total. Zero is shown: it
 * identifies nobody. Percentages built on a suppressed count are suppressed too.
 */
export const SUPPRESSED = '[c]'
export const SUPPRESS_BELOW = 5

export interface Disclosure {
  suppress: boolean
  roundToFive: boolean
}

export const INTERNAL: Disclosure = { suppress: false, roundToFive: false }

export function isSuppressed(n: number, d: Disclosure): boolean {
  return d.suppress && n > 0 && n < SUPPRESS_BELOW
}

/** A count as it may be shown: the number, rounded, or [c]. */
export function shownCount(n: number, d: Disclosure): string {
  if (isSuppressed(n, d)) return SUPPRESSED
  const value = d.roundToFive ? roundToFive(n) : n
  return value.toLocaleString('en-GB')
}

/** A count for a spreadsheet cell: a number where one may be shown, else the [c] marker. */
export function cellCount(n: number, d: Disclosure): number | string {
  if (isSuppressed(n, d)) return SUPPRESSED
  return d.roundToFive ? roundToFive(n) : n
}

export function shownPercent(n: number, of: number, d: Disclosure): string {
  if (of === 0) return '–'
  if (n === 0) return '0%'
  if (isSuppressed(n, d) || isSuppressed(of, d)) return SUPPRESSED
  return `${Math.round((n * 100) / of)}%`
}

/** Nearest 5, halves up (2.5 → 5): 3 never appears, 7 becomes 5, 8 becomes 10. */
export function roundToFive(n: number): number {
  return Math.round(n / 5) * 5
}
