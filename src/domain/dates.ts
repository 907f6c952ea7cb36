import { DateTime } from 'luxon'

export type DateParts = { day: string; month: string; year: string }

export type DateCheck =
  | { kind: 'empty' }
  | { kind: 'ok'; iso: string }
  | { kind: 'error'; message: string; part: 'day' | 'month' | 'year' }

/**
 * GOV.UK date input rules: say which part is missing, whether the date is real, and whether it
 * is in the allowed range. `label` starts the message: "Date of birth must include a month".
 */
export function checkDateParts(parts: DateParts, label: string, today: string, options: { notFuture?: boolean; earliest?: string } = {}): DateCheck {
  const day = parts.day.trim()
  const month = parts.month.trim()
  const year = parts.year.trim()
  if (!day && !month && !year) return { kind: 'empty' }
  const missing = (['day', 'month', 'year'] as const).filter((p) => !{ day, month, year }[p])
  if (missing.length === 1) return { kind: 'error', message: `${label} must include a ${missing[0]}`, part: missing[0]! }
  if (missing.length === 2) return { kind: 'error', message: `${label} must include a ${missing[0]} and ${missing[1]}`, part: missing[0]! }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    const part = !/^\d{1,2}$/.test(day) ? 'day' : !/^\d{1,2}$/.test(month) ? 'month' : 'year'
    return { kind: 'error', message: `${label} must be a real date`, part }
  }
  const date = DateTime.fromObject({ year: Number(year), month: Number(month), day: Number(day) })
  if (!date.isValid) return { kind: 'error', message: `${label} must be a real date`, part: Number(month) > 12 || Number(month) < 1 ? 'month' : 'day' }
  const iso = date.toISODate()!
  if (options.notFuture && iso > today) return { kind: 'error', message: `${label} must be today or in the past`, part: 'day' }
  if (options.earliest && iso < options.earliest) return { kind: 'error', message: `${label} must be after ${DateTime.fromISO(options.earliest).toFormat('d MMMM yyyy')}`, part: 'year' }
  return { kind: 'ok', iso }
}

export function isoToParts(iso: string | null | undefined): DateParts {
  if (!iso) return { day: '', month: '', year: '' }
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' }
}
