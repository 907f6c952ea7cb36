import { z } from 'zod'
import { CHRONOLOGY_CATEGORIES, CHRONOLOGY_SUMMARY_MAX } from '../../../domain/chronology-categories.js'
import { checkDateParts } from '../../../domain/dates.js'
import { exactText, fieldValue, formErrors, oneOf, type FormErrors } from '../../../forms.js'

const schema = z.object({
  category: oneOf(CHRONOLOGY_CATEGORIES, 'Select a category'),
  summary: exactText({ label: 'What happened', max: CHRONOLOGY_SUMMARY_MAX, required: 'Enter what happened' }),
})

export type EntryForm = { ok: true; occurredOn: string; category: string; summary: string; significant: boolean } | { ok: false; errors: FormErrors }

/** A manual entry: the date it happened (today or earlier), a category, what happened, significant or not. */
export function parseEntryForm(body: unknown, today: string): EntryForm {
  const parsed = schema.safeParse(body ?? {})
  const issues: { path: string[]; message: string }[] = []
  const date = checkDateParts({ day: fieldValue(body, 'occurredOn-day'), month: fieldValue(body, 'occurredOn-month'), year: fieldValue(body, 'occurredOn-year') }, 'The date', today, { notFuture: true, earliest: '1900-01-01' })
  let part = 'day'
  if (date.kind === 'empty') issues.push({ path: ['occurredOn'], message: 'Enter the date it happened' })
  else if (date.kind === 'error') {
    issues.push({ path: ['occurredOn'], message: date.message })
    part = date.part
  }
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => ({ path: [String(i.path[0])], message: i.message })))
  const order = ['occurredOn', 'category', 'summary']
  issues.sort((a, b) => order.indexOf(a.path[0]!) - order.indexOf(b.path[0]!))
  if (issues.length || !parsed.success || date.kind !== 'ok') return { ok: false, errors: formErrors(issues, { occurredOn: `#occurredOn-${part}`, category: '#category' }) }
  return { ok: true, occurredOn: date.iso, category: parsed.data.category, summary: parsed.data.summary!, significant: fieldValue(body, 'significant') === 'yes' }
}
