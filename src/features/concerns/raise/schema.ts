import { z } from 'zod'
import { ageOn } from '../../../domain/age.js'
import { checkDateParts, isoToParts } from '../../../domain/dates.js'
import {
  allowedTypeGroups,
  AT_RISK_OPTIONS,
  CONCERN_TYPE_CODES,
  LOCATIONS,
  PERSON_AWARE_OPTIONS,
  type AtRiskValue,
} from '../../../domain/reference-lists.js'
import { exactText, fieldValue, formErrors, formField, lineText, manyOf, oneOf, type FormErrors } from '../../../forms.js'
import type { ConcernAnswers } from '../../../services/raise-concern.js'

export const LIMITS = { name: 200, address: 500, household: 2000, whatHappened: 10_000 }

const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i

/** Postcodes are stored in one canonical form ("LE67 3FJ") so people can be matched on them later. */
export function normalisePostcode(value: string): string {
  const compact = value.replace(/\s+/g, '').toUpperCase()
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`
}

const baseSchema = z.object({
  atRisk: oneOf(
    AT_RISK_OPTIONS.map((o) => o.value),
    'Select who is at risk',
  ),
  personName: lineText({ label: 'Name', max: LIMITS.name, required: 'Enter the name of the person at risk' }),
  personKnownAs: lineText({ label: 'Known as', max: LIMITS.name }),
  personAgeYears: formField()
    .transform((v) => (typeof v === 'string' ? v.trim() : v))
    .refine((v) => v === undefined || v === '' || (typeof v === 'string' && /^\d{1,3}$/.test(v) && Number(v) <= 120), 'Approximate age must be a whole number between 0 and 120')
    .transform((v) => (v === undefined || v === '' ? null : Number(v))),
  personAddress: exactText({ label: 'Address', max: LIMITS.address }),
  personPostcode: formField()
    .refine((v) => v === undefined || (typeof v === 'string' && (v.trim() === '' || POSTCODE.test(v.trim()))), 'Enter a real postcode, like LE67 3FJ')
    .transform((v) => (typeof v === 'string' && v.trim() !== '' ? normalisePostcode(v) : null)),
  householdMembers: exactText({ label: 'Other people in the household', max: LIMITS.household }),
  whatHappened: exactText({ label: 'What happened', max: LIMITS.whatHappened, required: 'Enter what happened or what you saw' }),
  concernTypes: manyOf(CONCERN_TYPE_CODES, { required: 'Select at least one type of concern', invalid: 'Select types of concern from the list' }),
  location: oneOf(LOCATIONS, 'Select where it happened'),
  immediateDanger: oneOf(['yes', 'no'] as const, 'Select yes if anyone is in immediate danger now'),
  personAware: oneOf(
    PERSON_AWARE_OPTIONS.map((o) => o.value),
    'Select whether the person knows about and agrees to this concern',
  ),
  serviceId: formField(),
})

export const FIELD_ORDER = [
  'atRisk',
  'personName',
  'personKnownAs',
  'dateOfBirth',
  'personAgeYears',
  'personAddress',
  'personPostcode',
  'householdMembers',
  'whatHappened',
  'concernTypes',
  'location',
  'happenedOn',
  'immediateDanger',
  'personAware',
  'serviceId',
]

export type ConcernFormResult = { ok: true; answers: ConcernAnswers } | { ok: false; errors: FormErrors }

/** Validates the whole form at once, so the error summary lists every problem in page order. */
export function parseConcernForm(body: unknown, context: { today: string; serviceIds: readonly string[] }): ConcernFormResult {
  const input = (body ?? {}) as Record<string, unknown>
  const parsed = baseSchema.safeParse(input)
  const issues: { path: string; message: string; href?: string }[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: String(i.path[0]), message: i.message }))

  const dob = checkDateParts(
    { day: fieldValue(input, 'dob-day'), month: fieldValue(input, 'dob-month'), year: fieldValue(input, 'dob-year') },
    'Date of birth',
    context.today,
    { notFuture: true, earliest: '1900-01-01' },
  )
  if (dob.kind === 'error') issues.push({ path: 'dateOfBirth', message: dob.message, href: `#dob-${dob.part}` })

  const happened = checkDateParts(
    { day: fieldValue(input, 'happened-day'), month: fieldValue(input, 'happened-month'), year: fieldValue(input, 'happened-year') },
    'The date it happened',
    context.today,
    { notFuture: true, earliest: '1900-01-01' },
  )
  if (happened.kind === 'error') issues.push({ path: 'happenedOn', message: happened.message, href: `#happened-${happened.part}` })

  const serviceId = input.serviceId
  if (typeof serviceId !== 'string' || !context.serviceIds.includes(serviceId)) {
    issues.push({ path: 'serviceId', message: 'Select the service you work in' })
  }

  // Rules across fields run whenever the fields they need are valid, even if others are not,
  // so the summary lists every problem at once instead of revealing them one round at a time.
  const atRisk = baseSchema.shape.atRisk.safeParse(input.atRisk)
  const ageYears = baseSchema.shape.personAgeYears.safeParse(input.personAgeYears)
  const types = baseSchema.shape.concernTypes.safeParse(input.concernTypes)
  if (atRisk.success) {
    const dobIso = dob.kind === 'ok' ? dob.iso : null
    if (atRisk.data !== 'unborn' && dob.kind === 'empty' && ageYears.success && ageYears.data === null) {
      issues.push({ path: 'dateOfBirth', message: 'Enter a date of birth or an approximate age', href: '#dob-day' })
    }
    const age = dobIso ? ageOn(dobIso, context.today) : ageYears.success ? ageYears.data : null
    if (age !== null && atRisk.data === 'child' && age >= 18) {
      issues.push({ path: 'dateOfBirth', message: 'A child must be under 18: check the date of birth or age, or who is at risk', href: dobIso ? '#dob-day' : '#personAgeYears' })
    }
    if (age !== null && atRisk.data === 'adult' && age < 18) {
      issues.push({ path: 'dateOfBirth', message: 'An adult must be 18 or over: check the date of birth or age, or who is at risk', href: dobIso ? '#dob-day' : '#personAgeYears' })
    }
    const groups = allowedTypeGroups(atRisk.data as AtRiskValue)
    if (types.success && types.data.some((code) => !groups.includes(code.split(':')[0] as 'adult' | 'child'))) {
      issues.push({ path: 'concernTypes', message: atRisk.data === 'adult' ? 'Select types of concern from the list for adults' : 'Select types of concern from the list for children' })
    }
  }

  if (issues.length > 0 || !parsed.success) {
    issues.sort((a, b) => FIELD_ORDER.indexOf(a.path) - FIELD_ORDER.indexOf(b.path))
    const hrefs: Record<string, string> = { atRisk: '#atRisk', concernTypes: '#concernTypes', location: '#location', immediateDanger: '#immediateDanger', personAware: '#personAware' }
    for (const i of issues) if (i.href && !hrefs[i.path]) hrefs[i.path] = i.href
    return { ok: false, errors: formErrors(issues.map((i) => ({ path: [i.path], message: i.message })), hrefs) }
  }

  const d = parsed.data
  return {
    ok: true,
    answers: {
      atRisk: d.atRisk,
      personName: d.personName!,
      personKnownAs: d.personKnownAs,
      personDateOfBirth: dob.kind === 'ok' ? dob.iso : null,
      personAgeYears: dob.kind === 'ok' ? null : d.personAgeYears,
      personAddress: d.personAddress,
      personPostcode: d.personPostcode,
      householdMembers: d.householdMembers,
      whatHappened: d.whatHappened!,
      concernTypes: d.concernTypes,
      location: d.location,
      happenedOn: happened.kind === 'ok' ? happened.iso : null,
      immediateDanger: d.immediateDanger === 'yes',
      personAware: d.personAware,
      serviceId: serviceId as string,
    },
  }
}

/** Form values for redisplay: what was sent (after an error) or the saved draft (when changing an answer). */
export function formValuesFromBody(body: unknown): Record<string, unknown> {
  const input = (body ?? {}) as Record<string, unknown>
  const types = input.concernTypes
  return {
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => typeof v === 'string')),
    concernTypes: Array.isArray(types) ? types.filter((t) => typeof t === 'string') : typeof types === 'string' ? [types] : [],
  }
}

export function formValuesFromAnswers(a: ConcernAnswers): Record<string, unknown> {
  const dob = isoToParts(a.personDateOfBirth)
  const happened = isoToParts(a.happenedOn)
  return {
    atRisk: a.atRisk,
    personName: a.personName,
    personKnownAs: a.personKnownAs ?? '',
    'dob-day': dob.day,
    'dob-month': dob.month,
    'dob-year': dob.year,
    personAgeYears: a.personAgeYears?.toString() ?? '',
    personAddress: a.personAddress ?? '',
    personPostcode: a.personPostcode ?? '',
    householdMembers: a.householdMembers ?? '',
    whatHappened: a.whatHappened,
    concernTypes: a.concernTypes,
    location: a.location,
    'happened-day': happened.day,
    'happened-month': happened.month,
    'happened-year': happened.year,
    immediateDanger: a.immediateDanger ? 'yes' : 'no',
    personAware: a.personAware,
    serviceId: a.serviceId,
  }
}
