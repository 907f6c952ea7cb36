import { AT_RISK_OPTIONS, concernTypeLabel, labelFor, PERSON_AWARE_OPTIONS } from '../../../domain/reference-lists.js'
import { formatDate } from '../../../views.js'
import type { ConcernAnswers } from '../../../services/raise-concern.js'

interface Row {
  key: { text: string }
  value: { text?: string; html?: string; classes?: string }
  actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/**
 * Escaped, with line breaks as character references: the summary list macro re-indents any
 * literal newline in its html, which would add spaces to what the referrer wrote.
 */
export function exactTextHtml(text: string): string {
  return `<span class="kestrel-exact-text">${escapeHtml(text).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;')}</span>`
}

/**
 * The referrer's answers as summary-list rows. Free text is shown exactly as typed
 * (escaped, with line breaks kept by CSS), never reformatted.
 */
export function answerRows(a: ConcernAnswers | SubmittedConcern, serviceName: string, changeHref?: string, options: { referrerView?: boolean } = { referrerView: true }): Row[] {
  const answers = 'atRisk' in a ? a : fromRecord(a)
  const row = (label: string, value: string | null, anchor: string, exact = false): Row => ({
    key: { text: label },
    value: value === null || value === '' ? { text: 'Not given', classes: 'kestrel-not-given' } : exact ? { html: exactTextHtml(value) } : { text: value },
    ...(changeHref ? { actions: { items: [{ href: `${changeHref}#${anchor}`, text: 'Change', visuallyHiddenText: label.toLowerCase() }] } } : {}),
  })
  return [
    row('Who is at risk', labelFor(AT_RISK_OPTIONS, answers.atRisk), 'atRisk'),
    row('Name', answers.personName, 'personName'),
    row('Other names', answers.personKnownAs, 'personKnownAs'),
    row('Date of birth', answers.personDateOfBirth ? formatDate(answers.personDateOfBirth) : null, 'dob-day'),
    row('Approximate age', answers.personAgeYears !== null ? `${answers.personAgeYears} years` : null, 'personAgeYears'),
    row('Address', answers.personAddress, 'personAddress', true),
    row('Postcode', answers.personPostcode, 'personPostcode'),
    row('Other people in the household', answers.householdMembers, 'householdMembers', true),
    row('What happened', answers.whatHappened, 'whatHappened', true),
    {
      ...row('Types of concern', '', 'concernTypes'),
      value: { html: `<ul class="govuk-list">${answers.concernTypes.map((t) => `<li>${escapeHtml(concernTypeLabel(t))}</li>`).join('')}</ul>` },
    },
    row('Where it happened', answers.location, 'location'),
    row('When it happened', answers.happenedOn ? formatDate(answers.happenedOn) : 'Not known', 'happened-day'),
    row('Anyone in immediate danger', answers.immediateDanger ? 'Yes' : 'No', 'immediateDanger'),
    row('The person knows and agrees', labelFor(PERSON_AWARE_OPTIONS, answers.personAware), 'personAware'),
    row(options.referrerView ? 'Your service' : 'Referring service', serviceName, 'serviceId'),
  ]
}

export interface SubmittedConcern {
  at_risk: ConcernAnswers['atRisk']
  person_name: string
  person_known_as: string | null
  person_date_of_birth: string | null
  person_age_years: number | null
  person_address: string | null
  person_postcode: string | null
  household_members: string | null
  what_happened: string
  concern_types: string[]
  location: string
  happened_on: string | null
  immediate_danger: boolean
  person_aware: string
  referrer_service_id: string
}

function fromRecord(c: SubmittedConcern): ConcernAnswers {
  return {
    atRisk: c.at_risk,
    personName: c.person_name,
    personKnownAs: c.person_known_as,
    personDateOfBirth: c.person_date_of_birth,
    personAgeYears: c.person_age_years,
    personAddress: c.person_address,
    personPostcode: c.person_postcode,
    householdMembers: c.household_members,
    whatHappened: c.what_happened,
    concernTypes: c.concern_types,
    location: c.location,
    happenedOn: c.happened_on,
    immediateDanger: c.immediate_danger,
    personAware: c.person_aware,
    serviceId: c.referrer_service_id,
  }
}
