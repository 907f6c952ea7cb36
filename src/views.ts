import fs from 'node:fs'
import path from 'node:path'
import type { Express } from 'express'
import { DateTime } from 'luxon'
import nunjucks from 'nunjucks'
import { concernTypeLabel } from './domain/reference-lists.js'
import { ROLE_LABELS } from './domain/roles.js'
import { londonWallClock } from './domain/london-time.js'
import { LONDON } from './domain/working-days.js'
import { paths } from './paths.js'
import { projectRoot, sourceRoot } from './project-root.js'

export function loadAssetManifest(): Record<string, string> {
  const file = path.join(projectRoot, 'public', 'manifest.json')
  if (!fs.existsSync(file)) return {}
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

interface Shown {
  year: number
  month: number
  day: number
  /** Null for a calendar date without a time. */
  hour: number | null
  minute: number
}

/** What to show for a value: London wall-clock time for instants, the date itself for 'YYYY-MM-DD'. */
function london(value: Date | string | null | undefined): Shown | null {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : londonWallClock(value)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)), day: Number(value.slice(8, 10)), hour: null, minute: 0 }
  // Anything else (rare: an ISO date-time string) the slow way, read as London time unless it says otherwise.
  const d = DateTime.fromISO(value, { zone: LONDON })
  return d.isValid ? { year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute } : null
}

const dayMonthYear = (d: Shown, short = false) => `${d.day} ${short ? MONTHS[d.month - 1]!.slice(0, 3) : MONTHS[d.month - 1]} ${d.year}`
/** 3:05pm, 12:00am (as luxon's 'h:mma', lower case). */
const clockTime = (d: Shown) => `${((d.hour ?? 0) + 11) % 12 + 1}:${String(d.minute).padStart(2, '0')}${(d.hour ?? 0) < 12 ? 'am' : 'pm'}`

/** GOV.UK style: 24 November 2026; 24 November 2026 at 3:05pm. */
export function formatDate(value: Date | string | null | undefined): string {
  const d = london(value)
  return d ? dayMonthYear(d) : ''
}

export function formatDateTime(value: Date | string | null | undefined): string {
  const d = london(value)
  if (!d) return ''
  return `${dayMonthYear(d)} at ${clockTime(d)}`
}

export function formatShortDateTime(value: Date | string | null | undefined): string {
  const d = london(value)
  if (!d) return ''
  return `${dayMonthYear(d, true)}, ${clockTime(d)}`
}

export function setUpViews(app: Express, options: { watch?: boolean } = {}): nunjucks.Environment {
  const searchPaths = [
    path.join(sourceRoot, 'views'),
    path.join(sourceRoot, 'features'),
    path.join(projectRoot, 'node_modules', 'govuk-frontend', 'dist'),
    path.join(projectRoot, 'node_modules', '@ministryofjustice', 'frontend'),
  ]
  const env = nunjucks.configure(searchPaths, { autoescape: true, express: app, throwOnUndefined: false, noCache: options.watch ?? false })
  app.set('view engine', 'njk')

  const manifest = loadAssetManifest()
  env.addGlobal('asset', (name: string) => `/assets/${manifest[name] ?? name}`)
  env.addGlobal('paths', paths)
  env.addGlobal('roleLabels', ROLE_LABELS)
  env.addFilter('date', formatDate)
  env.addFilter('dateTime', formatDateTime)
  env.addFilter('shortDateTime', formatShortDateTime)
  env.addFilter('concernType', concernTypeLabel)
  env.addFilter('plural', (n: number, singular: string, pluralForm?: string) => `${n} ${n === 1 ? singular : (pluralForm ?? `${singular}s`)}`)
  env.addFilter('number', (n: number) => new Intl.NumberFormat('en-GB').format(n))
  // GOV.UK Frontend's macros trim their callers' output. Nunjucks' own trim uses /^\s*|\s*$/g,
  // which retries the end anchor from every character of every run of spaces: on a page of
  // 130 kB (the dashboard) that took most of the render. The same result in one pass:
  env.addFilter('trim', (value: unknown) => {
    const trimmed = String(value ?? '').trim()
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed
  })
  return env
}
