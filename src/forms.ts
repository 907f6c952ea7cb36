import { z } from 'zod'

export interface FormErrors {
  summary: { text: string; href: string }[]
  fields: Record<string, { text: string }>
}

/** The GOV.UK error summary and inline messages from zod issues: the first message per field, in form order. */
export function formErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], hrefs: Record<string, string> = {}): FormErrors {
  const fields: FormErrors['fields'] = {}
  const summary: FormErrors['summary'] = []
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form')
    if (fields[field]) continue
    fields[field] = { text: issue.message }
    summary.push({ text: issue.message, href: hrefs[field] ?? `#${field}` })
  }
  return { summary, fields }
}

export function singleError(field: string, text: string, href = `#${field}`): FormErrors {
  return { summary: [{ text, href }], fields: { [field]: { text } } }
}

/**
 * Free text as typed: no trimming or rewording (the record keeps exactly what was written). The
 * one change is that line breaks are stored as \n: browsers send every typed line break as \r\n,
 * which is how the form is encoded, not what the person typed (and the character count they saw
 * counted each break once). Control characters other than tab and line breaks are refused: they
 * cannot be typed into a form and PostgreSQL cannot store NUL.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

/**
 * A form field that may be absent from the body: browsers leave out unticked checkboxes and
 * unanswered radios, and zod 4 refuses a missing key unless the schema starts optional. The
 * field's own rules still run on `undefined`, so a missing answer gets its own message.
 */
export function formField() {
  return z.unknown().optional()
}

export function exactText(options: { label: string; max: number; required?: string }) {
  return formField()
    .superRefine((value, ctx) => {
      if (value !== undefined && typeof value !== 'string') {
        ctx.addIssue({ code: 'custom', message: `${options.label} must be text` })
        return
      }
      const text = ((value as string | undefined) ?? '').replace(/\r\n?/g, '\n')
      if (options.required && text.trim() === '') ctx.addIssue({ code: 'custom', message: options.required })
      else if (text.length > options.max) ctx.addIssue({ code: 'custom', message: `${options.label} must be ${options.max.toLocaleString('en-GB')} characters or less` })
      else if (FORBIDDEN_CONTROL.test(text)) ctx.addIssue({ code: 'custom', message: `${options.label} must not contain control characters` })
    })
    .transform((value) => {
      const text = ((value as string | undefined) ?? '').replace(/\r\n?/g, '\n')
      return text.trim() === '' ? null : text
    })
}

/** Short single-line fields (names, emails): surrounding spaces are not meaningful, so they are trimmed. */
export function lineText(options: { label: string; max: number; required?: string }) {
  return exactText(options).transform((v) => (v === null ? null : v.trim()))
}

/** A single value from a set, refusing arrays from duplicated parameters. */
export function oneOf<T extends string>(values: readonly T[], message: string) {
  return formField().refine((v): v is T => typeof v === 'string' && (values as readonly string[]).includes(v), { message }).transform((v) => v as T)
}

/** Checkbox values arrive as a string (one ticked) or an array (several). */
export function manyOf<T extends string>(values: readonly T[], messages: { required: string; invalid: string }) {
  return formField()
    .transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]))
    .superRefine((list, ctx) => {
      if (list.length === 0) ctx.addIssue({ code: 'custom', message: messages.required })
      else if (!list.every((x) => typeof x === 'string' && (values as readonly string[]).includes(x))) ctx.addIssue({ code: 'custom', message: messages.invalid })
    })
    .transform((list) => [...new Set(list as T[])])
}

export function fieldValue(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name]
  return typeof v === 'string' ? v : ''
}
