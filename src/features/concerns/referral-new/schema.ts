import { z } from 'zod'
import { checkDateParts } from '../../../domain/dates.js'
import { CONSENT_OPTIONS, OTHER_AGENCY, REFERRAL_METHODS, referralProblems, storedConsentReason } from '../../../domain/onward-referral-rules.js'
import { atLondonTime, parseTimeOfDay } from '../../../domain/time-of-day.js'
import { exactText, fieldValue, formErrors, lineText, oneOf, type FormErrors } from '../../../forms.js'
import type { ReferralRequest } from '../../../services/onward-referrals.js'

const schema = z.object({
  method: oneOf(
    REFERRAL_METHODS.map((m) => m.value),
    'Select how the referral was made',
  ),
  contact: lineText({ label: 'Contact', max: 200 }),
  agencyReference: lineText({ label: 'The agency’s reference', max: 100 }),
  consent: oneOf(
    CONSENT_OPTIONS.map((c) => c.value),
    'Select the consent position',
  ),
  notSoughtReason: exactText({ label: 'Why consent was not sought', max: 1000 }),
  informationShared: exactText({ label: 'What was shared', max: 5000 }),
  agencyOther: lineText({ label: 'The agency’s name', max: 120 }),
})

const ORDER = ['agency', 'agencyOther', 'madeOn', 'madeTime', 'method', 'contact', 'agencyReference', 'consent', 'refusedReason', 'notSoughtReason', 'informationShared', 'followUpOn']

export function parseReferralForm(body: unknown, agencies: readonly string[], today: string): { ok: true; request: ReferralRequest } | { ok: false; errors: FormErrors } {
  const input = (body ?? {}) as Record<string, unknown>
  const parsed = schema.safeParse(input)
  const issues: { path: string; message: string; href?: string }[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: String(i.path[0]), message: i.message }))
  const agency = fieldValue(input, 'agency')
  if (!agencies.includes(agency)) issues.push({ path: 'agency', message: 'Select the agency referred to' })
  if (agency === OTHER_AGENCY && parsed.success && !parsed.data.agencyOther) issues.push({ path: 'agencyOther', message: 'Enter the name of the agency' })
  const made = checkDateParts({ day: fieldValue(input, 'made-day'), month: fieldValue(input, 'made-month'), year: fieldValue(input, 'made-year') }, 'The date the referral was made', today, { earliest: '2000-01-01' })
  if (made.kind === 'empty') issues.push({ path: 'madeOn', message: 'Enter the date the referral was made', href: '#made-day' })
  if (made.kind === 'error') issues.push({ path: 'madeOn', message: made.message, href: `#made-${made.part}` })
  const minutes = parseTimeOfDay(fieldValue(input, 'madeTime'))
  if (minutes === undefined) issues.push({ path: 'madeTime', message: 'Enter the time the referral was made, like 14:30' })
  const follow = checkDateParts({ day: fieldValue(input, 'follow-day'), month: fieldValue(input, 'follow-month'), year: fieldValue(input, 'follow-year') }, 'The follow-up date', '9999-12-31', { earliest: '2000-01-01' })
  if (follow.kind === 'error') issues.push({ path: 'followUpOn', message: follow.message, href: `#follow-${follow.part}` })
  const refusedReason = fieldValue(input, 'refusedReason') || null
  if (parsed.success && made.kind === 'ok') {
    for (const p of referralProblems({ madeOn: made.iso, followUpOn: follow.kind === 'ok' ? follow.iso : null }, { consent: parsed.data.consent, refusedReason, notSoughtReason: parsed.data.notSoughtReason }, today)) {
      issues.push({ path: p.field, message: p.message, href: p.field === 'followUpOn' ? '#follow-day' : p.field === 'madeOn' ? '#made-day' : p.field === 'refusedReason' ? '#refusedReason' : undefined })
    }
  }
  if (issues.length || !parsed.success || made.kind !== 'ok' || minutes === undefined) {
    issues.sort((a, b) => ORDER.indexOf(a.path) - ORDER.indexOf(b.path))
    const hrefs: Record<string, string> = { agency: '#agency', method: '#method', consent: '#consent' }
    for (const i of issues) if (i.href) hrefs[i.path] = i.href
    return { ok: false, errors: formErrors(issues.map((i) => ({ path: [i.path], message: i.message })), hrefs) }
  }
  const d = parsed.data
  return {
    ok: true,
    request: {
      agency,
      agencyOther: agency === OTHER_AGENCY ? d.agencyOther : null,
      madeAt: atLondonTime(made.iso, minutes),
      method: d.method,
      contact: d.contact,
      agencyReference: d.agencyReference,
      consent: d.consent,
      consentReason: storedConsentReason({ consent: d.consent, refusedReason, notSoughtReason: d.notSoughtReason }),
      informationShared: d.informationShared,
      followUpOn: follow.kind === 'ok' ? follow.iso : null,
    },
  }
}
