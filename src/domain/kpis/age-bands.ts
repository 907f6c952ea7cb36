/**
 * Age bands for reports, a setting per organisation. The default is the Safeguarding Adults
 * Collection's adult bands (18–64, 65–74, 75–84, 85–94, 95+) with the usual children's bands in
 * front, plus an "85 and over" total row as in the partnership scorecards (seed 002 §9.3).
 * Concerns are counted by exact age at receipt, so changing the bands never needs a recount.
 */
export const DEFAULT_AGE_BAND_STARTS: readonly number[] = [0, 5, 10, 16, 18, 65, 75, 85, 95]
export const DEFAULT_AGE_TOTAL_FROM = 85
export const MAX_AGE = 130

export interface AgeBand {
  key: string
  label: string
  lo: number
  /** Inclusive; null for the open-ended last band. */
  hi: number | null
}

export interface AgeBandSettings {
  starts: readonly number[]
  totalFrom: number | null
}

export const DEFAULT_AGE_SETTINGS: AgeBandSettings = { starts: DEFAULT_AGE_BAND_STARTS, totalFrom: DEFAULT_AGE_TOTAL_FROM }

export function ageBands(starts: readonly number[]): AgeBand[] {
  return starts.map((lo, i) => {
    const next = starts[i + 1]
    const hi = next === undefined ? null : next - 1
    return { key: hi === null ? `${lo}+` : `${lo}-${hi}`, label: hi === null ? `${lo} and over` : lo === hi ? `${lo}` : `${lo} to ${hi}`, lo, hi }
  })
}

export function bandFor(age: number, bands: readonly AgeBand[]): AgeBand | undefined {
  return bands.find((b) => age >= b.lo && (b.hi === null || age <= b.hi))
}

/** Age filter values used by case lists: a band ('18-64', '85+'), 'unborn' or 'unknown'. */
export function parseAgeFilter(value: string): { lo: number; hi: number | null } | 'unborn' | 'unknown' | null {
  if (value === 'unborn' || value === 'unknown') return value
  const m = /^(\d{1,3})(?:-(\d{1,3})|\+)$/.exec(value)
  if (!m) return null
  const lo = Number(m[1])
  const hi = m[2] === undefined ? null : Number(m[2])
  if (lo > MAX_AGE || (hi !== null && (hi < lo || hi > MAX_AGE))) return null
  return { lo, hi }
}

export type AgeSettingsResult = { ok: true; settings: AgeBandSettings } | { ok: false; field: 'starts' | 'totalFrom'; message: string }

/** "0, 5, 10, 16, 18, 65, 75, 85, 95" and an optional "total from" age, as typed on the settings page. */
export function parseAgeBandSettings(startsText: string, totalFromText: string): AgeSettingsResult {
  const parts = startsText.split(/[\s,]+/).filter(Boolean)
  if (parts.length === 0) return { ok: false, field: 'starts', message: 'Enter the ages each band starts at, separated by commas' }
  if (parts.length > 20) return { ok: false, field: 'starts', message: 'Enter 20 bands or fewer' }
  if (!parts.every((p) => /^\d{1,3}$/.test(p))) return { ok: false, field: 'starts', message: 'Ages must be whole numbers, separated by commas, like 0, 5, 10, 16, 18, 65' }
  const starts = parts.map(Number)
  if (starts[0] !== 0) return { ok: false, field: 'starts', message: 'The first band must start at 0' }
  if (starts.some((n, i) => i > 0 && n <= starts[i - 1]!)) return { ok: false, field: 'starts', message: 'Ages must go up from one band to the next' }
  if (starts.some((n) => n > 120)) return { ok: false, field: 'starts', message: 'Bands must start at 120 or younger' }
  if (!starts.includes(18)) return { ok: false, field: 'starts', message: 'One band must start at 18, so that no band mixes children and adults' }
  const total = totalFromText.trim()
  if (total === '') return { ok: true, settings: { starts, totalFrom: null } }
  if (!/^\d{1,3}$/.test(total) || !starts.includes(Number(total))) {
    return { ok: false, field: 'totalFrom', message: 'The total row must start at the start of one of the bands, like 85' }
  }
  return { ok: true, settings: { starts, totalFrom: Number(total) } }
}

export interface AgeRow {
  key: string
  label: string
  n: number
  /** A sum of other rows ("85 and over"): shown in bold, never a band of its own. */
  isTotal?: boolean
}

/**
 * Counts by exact age ('0'…'130', 'unborn', 'unknown') turned into the organisation's bands,
 * with the unborn and not-known rows, and the optional "N and over" total after the bands.
 */
export function ageRows(countsByAge: ReadonlyMap<string, number>, settings: AgeBandSettings): AgeRow[] {
  const bands = ageBands(settings.starts)
  const sums = new Map(bands.map((b) => [b.key, 0]))
  let unborn = 0
  let unknown = 0
  for (const [age, n] of countsByAge) {
    if (age === 'unborn') unborn += n
    else if (/^\d+$/.test(age)) {
      const band = bandFor(Number(age), bands)
      if (band) sums.set(band.key, sums.get(band.key)! + n)
      else unknown += n
    } else unknown += n
  }
  const rows: AgeRow[] = [{ key: 'unborn', label: 'Unborn', n: unborn }, ...bands.map((b) => ({ key: b.key, label: b.label, n: sums.get(b.key)! }))]
  if (settings.totalFrom !== null) {
    const from = settings.totalFrom
    const n = bands.filter((b) => b.lo >= from).reduce((s, b) => s + sums.get(b.key)!, 0)
    rows.push({ key: `${from}+`, label: `${from} and over (total)`, n, isTotal: true })
  }
  rows.push({ key: 'unknown', label: 'Age not known', n: unknown })
  return rows
}
