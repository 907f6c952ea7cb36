import { z } from 'zod'
import type { Decision, RiskLevel } from '../../../db/schema.js'
import { checkDateParts } from '../../../domain/dates.js'
import { DECISIONS, RISK_LEVELS } from '../../../domain/decision-rules.js'
import type { ConcernTypeCode } from '../../../domain/reference-lists.js'
import { atLondonTime, parseTimeOfDay } from '../../../domain/time-of-day.js'
import { exactText, fieldValue, lineText, manyOf, oneOf, type FormErrors, formErrors } from '../../../forms.js'
import type { DecisionRequest } from '../../../services/initial-decision.js'

const schema = z.object({
  confirmedTypes: manyOf([] as string[], { required: 'Select at least one type of concern', invalid: 'Select types of concern from the list' }),
  riskLevel: oneOf(
    RISK_LEVELS.map((r) => r.value),
    'Select the risk level',
  ),
  decision: oneOf(
    DECISIONS.map((d) => d.value),
    'Select the initial decision',
  ),
  rationale: exactText({ label: 'The rationale', max: 10_000, required: 'Enter the rationale for the decision' }),
  delayReason: exactText({ label: 'The reason for the delay', max: 2000 }),
  agreedHow: lineText({ label: 'How they agreed', max: 300 }),
})

export const FIELD_ORDER = ['confirmedTypes', 'riskLevel', 'decision', 'rationale', 'agreement', 'agreedAt', 'agreedHow', 'delayReason']

/**
 * Parses the decision form. The Second DSO's agreement is asked for only when they have not
 * confirmed in Kestrel (`needsAgreement`): then the Lead gives the date, time and how.
 */
export function parseDecisionForm(body: unknown, allowedTypes: readonly ConcernTypeCode[], needsAgreement: boolean, today: string): { ok: true; request: DecisionRequest } | { ok: false; errors: FormErrors } {
  const input = (body ?? {}) as Record<string, unknown>
  const shape = schema.extend({ confirmedTypes: manyOf(allowedTypes, { required: 'Select at least one type of concern', invalid: 'Select types of concern from the list' }) })
  const parsed = shape.safeParse(input)
  const issues: { path: string; message: string; href?: string }[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: String(i.path[0]), message: i.message }))
  let agreedAt: Date | null = null
  if (needsAgreement) {
    const date = checkDateParts({ day: fieldValue(input, 'agreed-day'), month: fieldValue(input, 'agreed-month'), year: fieldValue(input, 'agreed-year') }, 'The date the Second DSO agreed', today, { notFuture: true, earliest: '2000-01-01' })
    const minutes = parseTimeOfDay(fieldValue(input, 'agreedTime'))
    if (date.kind === 'empty') issues.push({ path: 'agreedAt', message: 'Enter the date the Second DSO agreed, or ask them to confirm in Kestrel', href: '#agreed-day' })
    else if (date.kind === 'error') issues.push({ path: 'agreedAt', message: date.message, href: `#agreed-${date.part}` })
    else if (minutes === undefined) issues.push({ path: 'agreedAt', message: 'Enter the time the Second DSO agreed, like 14:30', href: '#agreedTime' })
    else agreedAt = atLondonTime(date.iso, minutes)
    if (!fieldValue(input, 'agreedHow').trim()) issues.push({ path: 'agreedHow', message: 'Enter how the Second DSO agreed, for example by phone' })
  }
  if (issues.length || !parsed.success) {
    issues.sort((a, b) => FIELD_ORDER.indexOf(a.path) - FIELD_ORDER.indexOf(b.path))
    const hrefs: Record<string, string> = { confirmedTypes: '#confirmedTypes', riskLevel: '#riskLevel', decision: '#decision' }
    for (const i of issues) if (i.href) hrefs[i.path] = i.href
    return { ok: false, errors: formErrors(issues.map((i) => ({ path: [i.path], message: i.message })), hrefs) }
  }
  const d = parsed.data
  return {
    ok: true,
    request: {
      decision: d.decision as Decision,
      riskLevel: d.riskLevel as RiskLevel,
      confirmedTypes: d.confirmedTypes,
      rationale: d.rationale!,
      delayReason: d.delayReason,
      agreement: needsAgreement && agreedAt ? { kind: 'recorded_by_lead', agreedAt, how: d.agreedHow! } : needsAgreement ? null : { kind: 'confirmed_in_kestrel' },
    },
  }
}

export function decisionFormValues(body: unknown): Record<string, unknown> {
  const input = (body ?? {}) as Record<string, unknown>
  const types = input.confirmedTypes
  return {
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => typeof v === 'string')),
    confirmedTypes: Array.isArray(types) ? types.filter((t) => typeof t === 'string') : typeof types === 'string' ? [types] : [],
  }
}
