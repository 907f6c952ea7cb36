import type { AtRisk, Decision } from '../../db/schema.js'
import { ageOn } from '../age.js'
import { ADULT_CONCERN_TYPES, AT_RISK_OPTIONS, CHILD_CONCERN_TYPES, LOCATIONS } from '../reference-lists.js'
import { CASE_OUTCOMES, DECISIONS, GENDERS, looseKey, matchOption, RISK_OUTCOMES, SOURCES_OF_CONCERN, SOURCES_OF_RISK, type Option } from '../sac-lists.js'
import { londonInstant } from '../london-time.js'
import { IMPORT_COLUMN_NAMES, PERSONAL_COLUMNS, REQUIRED_COLUMNS } from './import-columns.js'

/**
 * Checking a historical import, row by row (docs/import.md). Pure: the caller supplies the
 * organisation's services and agencies and today's date. Values are matched to the lists
 * ignoring case and punctuation; anything else is reported with the row and column, never
 * guessed. Every row is checked, so the report lists every problem at once.
 */
export type Cell = string | number | boolean | Date | null | undefined

export interface ImportContext {
  services: readonly { id: string; name: string }[]
  agencies: readonly string[]
  today: string
}

export interface ImportedConcern {
  row: number
  externalReference: string
  receivedAt: Date
  serviceId: string
  atRisk: AtRisk
  dateOfBirth: string | null
  ageYears: number | null
  gender: string | null
  types: string[]
  location: string
  sourceOfRisk: string | null
  sourceOfConcern: string | null
  addressedAt: Date
  decision: Decision
  agencies: string[]
  closedAt: Date | null
  outcome: string | null
  riskOutcome: 'risk_remained' | 'risk_reduced' | 'risk_removed' | null
  personName: string | null
}

export interface RowProblem {
  /** The spreadsheet's row number (the header is row 1). */
  row: number
  column: string
  message: string
}

export const EARLIEST_IMPORT_DATE = '2000-01-01'
export const MAX_IMPORT_ROWS = 200_000
export const LOCATION_NOT_RECORDED = 'Not recorded'
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

function text(cell: Cell): string {
  if (cell === null || cell === undefined) return ''
  if (cell instanceof Date) return cell.toISOString()
  return String(cell).trim()
}

/** A value as a problem message may quote it: personal columns never, long values cut short. */
function quoted(column: string, cell: Cell): string {
  if (PERSONAL_COLUMNS.has(column)) return ''
  const t = text(cell)
  return ` “${t.length > 40 ? `${t.slice(0, 40)}…` : t}”`
}

export type DateValue = { date: string; instant: Date; hasTime: boolean }

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/

/**
 * A date or date and time as spreadsheets write them (2021-06-14, 14/06/2021, 14/06/2021 10:30,
 * or an Excel date cell), read as London time. A date without a time is taken as 12:00.
 */
export function parseImportDate(cell: Cell): DateValue | 'empty' | 'invalid' {
  let parts: { year: number; month: number; day: number; hour: number; minute: number; second: number } | null = null
  let hasTime = false
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return 'invalid'
    // Spreadsheet dates carry no zone: the reader hands them over as UTC wall time, stored as a
    // fraction of a day, so 10:15 can come back as 10:14:59.999. The nearest minute is meant.
    const d = new Date(Math.round(cell.getTime() / 60_000) * 60_000)
    parts = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 }
    hasTime = parts.hour !== 0 || parts.minute !== 0
  } else {
    const t = text(cell)
    if (t === '') return 'empty'
    const iso = ISO.exec(t)
    const uk = iso ? null : UK.exec(t)
    const m = iso ?? uk
    if (!m) return 'invalid'
    const [year, month, day] = iso ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]]
    hasTime = m[4] !== undefined
    parts = { year: Number(year), month: Number(month), day: Number(day), hour: Number(m[4] ?? 12), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0) }
  }
  if (!hasTime) {
    parts.hour = 12
    parts.minute = 0
  }
  if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.hour > 23 || parts.minute > 59 || parts.second > 59) return 'invalid'
  const date = `${String(parts.year).padStart(4, '0')}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`
  // Impossible dates (31 February) do not come back the same from the calendar.
  const calendar = new Date(`${date}T00:00:00Z`)
  if (Number.isNaN(calendar.getTime()) || calendar.toISOString().slice(0, 10) !== date) return 'invalid'
  return { date, instant: londonInstant(date, parts.hour, parts.minute, parts.second), hasTime }
}

const AT_RISK: Option[] = AT_RISK_OPTIONS.map((o) => ({ value: o.value, text: o.text }))
const LOCATION_OPTIONS: Option[] = LOCATIONS.map((l) => ({ value: l, text: l }))
const ADULT_TYPES = new Map(ADULT_CONCERN_TYPES.map((t) => [looseKey(t), `adult:${t}`]))
const CHILD_TYPES = new Map(CHILD_CONCERN_TYPES.map((t) => [looseKey(t), `child:${t}`]))

function matchType(typed: string, atRisk: AtRisk): { code: string } | { problem: string } {
  const prefixed = /^(adult|child)\s*:\s*(.+)$/i.exec(typed)
  const groups: ('adult' | 'child')[] = prefixed ? [prefixed[1]!.toLowerCase() as 'adult' | 'child'] : atRisk === 'adult' ? ['adult'] : atRisk === 'household' ? ['adult', 'child'] : ['child']
  const key = looseKey(prefixed ? prefixed[2]! : typed)
  const found = groups.map((g) => (g === 'adult' ? ADULT_TYPES : CHILD_TYPES).get(key)).filter((c): c is string => c !== undefined)
  if (found.length === 1) {
    const code = found[0]!
    if (atRisk === 'adult' && code.startsWith('child:')) return { problem: `“${typed}” is a type of concern about children, but at_risk is adult` }
    if ((atRisk === 'child' || atRisk === 'unborn') && code.startsWith('adult:')) return { problem: `“${typed}” is a type of concern about adults, but at_risk is ${atRisk}` }
    return { code }
  }
  if (found.length > 1) return { problem: `“${typed}” is in both the adult and the child lists: write adult: or child: in front of it` }
  return { problem: `“${typed}” is not a type of concern in Kestrel’s lists` }
}

function lookup(options: readonly Option[], cell: Cell, column: string, what: string, problems: RowProblem[], row: number): string | null {
  const t = text(cell)
  if (t === '') return null
  const found = matchOption(options, t)
  if (!found) problems.push({ row, column, message: `${column}${quoted(column, cell)} is not ${what}` })
  return found?.value ?? null
}

export interface FileCheck {
  /** Column name → index in each row. */
  columns: Map<string, number>
  problems: string[]
}

/** The header row: every required column, nothing unknown, nothing twice. */
export function checkHeader(header: readonly Cell[]): FileCheck {
  const columns = new Map<string, number>()
  const problems: string[] = []
  const unknown: string[] = []
  header.forEach((cell, i) => {
    const name = text(cell).toLowerCase().replace(/^\uFEFF/, '')
    if (name === '') return
    if (!IMPORT_COLUMN_NAMES.includes(name)) unknown.push(text(cell).slice(0, 40))
    else if (columns.has(name)) problems.push(`The column ${name} appears more than once`)
    else columns.set(name, i)
  })
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c))
  if (missing.length > 0) problems.push(`The first row must name the columns. Missing: ${missing.join(', ')}`)
  if (unknown.length > 0) problems.push(`Columns Kestrel does not import: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}. Remove them or rename them to the template’s column names`)
  return { columns, problems }
}

/** Checks the data rows one by one, remembering references already seen in the file. */
export class HistoricalRowChecker {
  private readonly seen = new Map<string, number>()
  private readonly services: Option[]
  private readonly agencies: Option[]
  readonly valid: ImportedConcern[] = []
  readonly problems: RowProblem[] = []
  rows = 0

  constructor(
    private readonly columns: Map<string, number>,
    private readonly ctx: ImportContext,
  ) {
    this.services = ctx.services.map((s) => ({ value: s.id, text: s.name }))
    this.agencies = ctx.agencies.map((a) => ({ value: a, text: a }))
  }

  /** Checks one row (`row` is its number in the spreadsheet). Blank rows are skipped. */
  check(cells: readonly Cell[], row: number): void {
    const get = (column: string): Cell => {
      const i = this.columns.get(column)
      return i === undefined ? undefined : cells[i]
    }
    if (cells.every((c) => text(c) === '')) return
    this.rows++
    const problems: RowProblem[] = []
    const problem = (column: string, message: string) => problems.push({ row, column, message })

    const reference = text(get('external_reference'))
    if (reference === '') problem('external_reference', 'Enter the record’s reference in external_reference')
    else if (reference.length > 100 || CONTROL.test(reference)) problem('external_reference', 'external_reference must be 100 characters or fewer, with no control characters')
    else if (this.seen.has(reference)) problem('external_reference', `external_reference${quoted('external_reference', reference)} is also on row ${this.seen.get(reference)}: each record needs its own reference`)
    else this.seen.set(reference, row)

    const dateOf = (column: string, required: boolean): DateValue | null => {
      const cell = get(column)
      const value = parseImportDate(cell)
      if (value === 'empty') {
        if (required) problem(column, `Enter ${column}`)
        return null
      }
      if (value === 'invalid') {
        problem(column, `${column}${quoted(column, cell)} is not a real date: write it like 14/06/2021 or 2021-06-14, with a time if you have one`)
        return null
      }
      if (value.date > this.ctx.today) {
        problem(column, `${column} must not be in the future`)
        return null
      }
      if (value.date < (column === 'date_of_birth' ? '1900-01-01' : EARLIEST_IMPORT_DATE)) {
        problem(column, `${column} must be after ${column === 'date_of_birth' ? '1900' : '1 January 2000'}`)
        return null
      }
      return value
    }

    const received = dateOf('received_at', true)
    const addressed = dateOf('addressed_at', true)
    const closed = dateOf('closed_at', false)
    if (received && addressed && addressed.date < received.date) problem('addressed_at', 'addressed_at must be on or after received_at')
    if (addressed && closed && closed.date < addressed.date) problem('closed_at', 'closed_at must be on or after addressed_at')

    const serviceCell = get('referring_service')
    let serviceId: string | null = null
    if (text(serviceCell) === '') problem('referring_service', 'Enter referring_service')
    else serviceId = lookup(this.services, serviceCell, 'referring_service', 'one of your services (add it under Reference data first)', problems, row)

    const atRiskCell = get('at_risk')
    let atRisk: AtRisk | null = null
    if (text(atRiskCell) === '') problem('at_risk', 'Enter at_risk: adult, child, unborn or household')
    else atRisk = lookup(AT_RISK, atRiskCell, 'at_risk', 'adult, child, unborn or household', problems, row) as AtRisk | null

    const dob = dateOf('date_of_birth', false)
    const ageText = text(get('age'))
    let age: number | null = null
    if (ageText !== '') {
      if (!/^\d{1,3}$/.test(ageText) || Number(ageText) > 120) problem('age', 'age must be a whole number of years from 0 to 120')
      else age = Number(ageText)
    }
    if (dob && received && dob.date > received.date) problem('date_of_birth', 'date_of_birth must be before received_at')
    const ageAtReceipt = dob && received ? ageOn(dob.date, received.date) : age
    if (ageAtReceipt !== null && atRisk === 'child' && ageAtReceipt >= 18) problem(dob ? 'date_of_birth' : 'age', 'A child must be under 18 when the concern was received: check the age or at_risk')
    if (ageAtReceipt !== null && atRisk === 'adult' && ageAtReceipt < 18) problem(dob ? 'date_of_birth' : 'age', 'An adult must be 18 or over when the concern was received: check the age or at_risk')

    const gender = lookup(GENDERS, get('gender'), 'gender', 'Female, Male, Other or Not known', problems, row)

    const types: string[] = []
    const typesText = text(get('types'))
    if (typesText === '') problem('types', 'Enter at least one type of concern in types')
    else if (atRisk) {
      const bad: string[] = []
      for (const typed of typesText.split(';').map((t) => t.trim()).filter(Boolean)) {
        const m = matchType(typed, atRisk)
        if ('code' in m) {
          if (!types.includes(m.code)) types.push(m.code)
        } else bad.push(m.problem)
      }
      if (bad.length > 0) problem('types', bad.join('; '))
      else if (types.length === 0) problem('types', 'Enter at least one type of concern in types')
    }

    const location = lookup(LOCATION_OPTIONS, get('location_of_risk'), 'location_of_risk', 'a location of risk from the Safeguarding Adults Collection list', problems, row)
    const sourceOfRisk = lookup(SOURCES_OF_RISK, get('source_of_risk'), 'source_of_risk', 'Service Provider, Other - Known to Individual or Other - Unknown to Individual', problems, row)
    const sourceOfConcern = lookup(SOURCES_OF_CONCERN, get('source_of_concern'), 'source_of_concern', 'a source of concern from the list in the guidance', problems, row)

    const decisionCell = get('decision')
    let decision: Decision | null = null
    if (text(decisionCell) === '') problem('decision', 'Enter decision')
    else decision = lookup(DECISIONS, decisionCell, 'decision', 'Onward referral, Advice and guidance, No further action or Already known to an agency', problems, row) as Decision | null

    const agencies: string[] = []
    const agenciesText = text(get('onward_agencies'))
    if (agenciesText !== '') {
      const unknown: string[] = []
      for (const typed of agenciesText.split(';').map((t) => t.trim()).filter(Boolean)) {
        const found = matchOption(this.agencies, typed)
        if (!found) unknown.push(`“${typed.slice(0, 40)}”`)
        else if (!agencies.includes(found.value)) agencies.push(found.value)
      }
      if (unknown.length > 0) problem('onward_agencies', `${unknown.join(', ')} ${unknown.length === 1 ? 'is not an agency' : 'are not agencies'} in Kestrel’s list (add ${unknown.length === 1 ? 'it' : 'them'} under Reference data first)`)
      else if (decision !== null && decision !== 'onward_referral') problem('onward_agencies', 'onward_agencies are for onward referrals, but the decision is not Onward referral')
    }

    const outcome = lookup(CASE_OUTCOMES, get('outcome'), 'outcome', 'Substantiated, Partly Substantiated, Not Substantiated, Inconclusive or a Safeguarding Adults Collection outcome', problems, row)
    const riskOutcome = lookup(RISK_OUTCOMES, get('risk_outcome'), 'risk_outcome', 'Risk remained, Risk reduced or Risk removed', problems, row) as ImportedConcern['riskOutcome']
    if ((outcome || riskOutcome) && !closed && !problems.some((p) => p.column === 'closed_at')) problem('closed_at', 'An outcome needs closed_at: give the date the case was closed')

    const name = text(get('person_name'))
    if (name.length > 200 || CONTROL.test(name)) problem('person_name', 'person_name must be 200 characters or fewer, with no control characters')

    if (problems.length > 0) {
      this.problems.push(...problems)
      return
    }
    this.valid.push({
      row,
      externalReference: reference,
      receivedAt: received!.instant,
      serviceId: serviceId!,
      atRisk: atRisk!,
      dateOfBirth: dob?.date ?? null,
      ageYears: dob ? null : age,
      gender,
      types,
      location: location ?? LOCATION_NOT_RECORDED,
      sourceOfRisk,
      sourceOfConcern,
      // A date without a time on the day of receipt cannot be before the receipt itself.
      addressedAt: addressed!.instant < received!.instant ? received!.instant : addressed!.instant,
      decision: decision!,
      agencies,
      closedAt: closed ? (closed.instant < addressed!.instant ? addressed!.instant : closed.instant) : null,
      outcome,
      riskOutcome,
      personName: name === '' ? null : name,
    })
  }
}
