import { z } from 'zod'
import { checkDateParts } from '../../../domain/dates.js'
import { exactText, fieldValue, formErrors, formField, lineText, oneOf, type FormErrors } from '../../../forms.js'
import type { PersonRole } from '../../../repositories/person-repository.js'
import type { PersonInput } from '../../../services/case-people.js'
import { normalisePostcode } from '../../concerns/raise/schema.js'

export const PERSON_ROLES: { value: PersonRole; text: string; hint: string }[] = [
  { value: 'subject', text: 'Person at risk', hint: 'Someone the concern is about' },
  { value: 'household', text: 'Household member', hint: 'Someone else who lives with them' },
  { value: 'alleged_responsible', text: 'Alleged person responsible', hint: 'Someone alleged to have caused the harm or risk' },
]

export const ROLE_LABELS: Record<PersonRole, string> = Object.fromEntries(PERSON_ROLES.map((r) => [r.value, r.text])) as Record<PersonRole, string>

const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i

const schema = z.object({
  role: oneOf(
    PERSON_ROLES.map((r) => r.value),
    'Select how this person is involved',
  ),
  name: lineText({ label: 'Name', max: 200, required: 'Enter their name' }),
  otherNames: lineText({ label: 'Other names', max: 200 }),
  ageYears: formField()
    .transform((v) => (typeof v === 'string' ? v.trim() : v))
    .refine((v) => v === undefined || v === '' || (typeof v === 'string' && /^\d{1,3}$/.test(v) && Number(v) <= 120), 'Approximate age must be a whole number between 0 and 120')
    .transform((v) => (v === undefined || v === '' ? null : Number(v))),
  address: exactText({ label: 'Address', max: 500 }),
  postcode: formField()
    .refine((v) => v === undefined || (typeof v === 'string' && (v.trim() === '' || POSTCODE.test(v.trim()))), 'Enter a real postcode, like LE67 3FJ')
    .transform((v) => (typeof v === 'string' && v.trim() !== '' ? normalisePostcode(v) : null)),
})

export const PERSON_FIELDS = ['role', 'name', 'otherNames', 'dob-day', 'dob-month', 'dob-year', 'ageYears', 'address', 'postcode'] as const

export type PersonForm = { ok: true; role: PersonRole; person: PersonInput } | { ok: false; errors: FormErrors }

export function parsePersonForm(body: unknown, today: string): PersonForm {
  const parsed = schema.safeParse(body ?? {})
  const issues: { path: string[]; message: string }[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: [String(i.path[0])], message: i.message }))
  const dob = checkDateParts({ day: fieldValue(body, 'dob-day'), month: fieldValue(body, 'dob-month'), year: fieldValue(body, 'dob-year') }, 'Date of birth', today, { notFuture: true, earliest: '1900-01-01' })
  let part = 'day'
  if (dob.kind === 'error') {
    issues.push({ path: ['dateOfBirth'], message: dob.message })
    part = dob.part
  }
  const order = ['role', 'name', 'otherNames', 'dateOfBirth', 'ageYears', 'address', 'postcode']
  issues.sort((a, b) => order.indexOf(a.path[0]!) - order.indexOf(b.path[0]!))
  if (issues.length || !parsed.success || dob.kind === 'error') return { ok: false, errors: formErrors(issues, { role: '#role', dateOfBirth: `#dob-${part}` }) }
  const d = parsed.data
  return {
    ok: true,
    role: d.role,
    person: { name: d.name!, otherNames: d.otherNames, dateOfBirth: dob.kind === 'ok' ? dob.iso : null, ageYears: dob.kind === 'ok' ? null : d.ageYears, address: d.address, postcode: d.postcode },
  }
}
