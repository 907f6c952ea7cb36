import type { Page, TestClient } from './client.js'
import type { TestOrganisation } from './factories.js'

export type ConcernForm = Record<string, string | string[]>

/** Every question on the concern form answered, as a browser sends it (line breaks as CRLF). */
export function completeConcernForm(org: TestOrganisation): ConcernForm {
  return {
    atRisk: 'adult',
    personName: 'Margaret Ellis',
    personKnownAs: 'Peggy',
    'dob-day': '28',
    'dob-month': '2',
    'dob-year': '1941',
    personAgeYears: '',
    personAddress: '12 Mill Lane\r\nWealdmoor',
    personPostcode: 'wx1 2ab',
    householdMembers: 'Tom Ellis (nephew, about 40)',
    whatHappened: 'Mrs Ellis said her nephew "borrows" her bank card.\r\n\r\nShe seemed frightened of him.',
    concernTypes: ['adult:Financial or Material Abuse', 'adult:Psychological Abuse'],
    location: 'Own Home',
    'happened-day': '6',
    'happened-month': '3',
    'happened-year': '2026',
    immediateDanger: 'no',
    personAware: 'knows_and_agrees',
    serviceId: org.services[1]!.id,
  }
}

/** Fills in the form and reaches check your answers; returns the submission key the page carries. */
export async function answerConcernForm(client: TestClient, form: ConcernForm): Promise<string> {
  await client.get('/concerns/new')
  const posted = await client.post('/concerns/new', form)
  if (posted.status !== 303) throw new Error(`The concern form was refused (${posted.status})`)
  const check = await client.get('/concerns/new/check')
  const key = check.$('input[name="submissionKey"]').attr('value')
  if (!key) throw new Error('Check your answers has no submission key')
  return key
}

/** The whole journey: form, check your answers, send. Returns the new concern's id. */
export async function raiseConcernThroughForms(client: TestClient, form: ConcernForm): Promise<string> {
  const submissionKey = await answerConcernForm(client, form)
  const sent = await client.post('/concerns/new/check', { submissionKey })
  if (sent.status !== 303 || !sent.location) throw new Error(`Sending the concern failed (${sent.status})`)
  return sent.location.split('/')[2]!
}

/** Summary-list rows as label → text (free text read from its exact-text span, untrimmed). */
export function summaryAnswers(page: Page): Map<string, string> {
  const rows = new Map<string, string>()
  page.$('.govuk-summary-list__row').each((_, row) => {
    const key = page.$(row).find('.govuk-summary-list__key').text().trim()
    const value = page.$(row).find('.govuk-summary-list__value')
    const exact = value.find('.kestrel-exact-text')
    rows.set(key, exact.length ? exact.text() : value.text().trim().replace(/\s+/g, ' '))
  })
  return rows
}
