import fs from 'node:fs'
import path from 'node:path'
import type { Express } from 'express'
import { DateTime } from 'luxon'
import nunjucks from 'nunjucks'
import { concernTypeLabel } from './domain/reference-lists.js'
import { ROLE_LABELS } from './domain/roles.js'
import { LONDON } from './domain/working-days.js'
import { paths } from './paths.js'
import { projectRoot, sourceRoot } from './project-root.js'

export function loadAssetManifest(): Record<string, string> {
  const file = path.join(projectRoot, 'public', 'manifest.json')
  if (!fs.existsSync(file)) return {}
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>
}

function london(value: Date | string | null | undefined): DateTime | null {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone: LONDON })
  return value.length === 10 ? DateTime.fromISO(value, { zone: LONDON }) : DateTime.fromISO(value, { zone: LONDON })
}

/** GOV.UK style: 24 November 2026; 24 November 2026 at 3:05pm. */
export function formatDate(value: Date | string | null | undefined): string {
  return london(value)?.toFormat('d MMMM yyyy') ?? ''
}

export function formatDateTime(value: Date | string | null | undefined): string {
  const d = london(value)
  if (!d) return ''
  return `${d.toFormat('d MMMM yyyy')} at ${d.toFormat('h:mma').toLowerCase()}`
}

export function formatShortDateTime(value: Date | string | null | undefined): string {
  const d = london(value)
  if (!d) return ''
  return `${d.toFormat('d MMM yyyy')}, ${d.toFormat('h:mma').toLowerCase()}`
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
