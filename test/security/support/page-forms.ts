import type { Page } from '../../helpers/client.js'

/**
 * The forms a page actually renders, read the way a browser reads them, so the suites can fill
 * and send every form without knowing it in advance — tomorrow's pages included.
 */
export type ControlKind = 'text' | 'textarea' | 'hidden' | 'radio' | 'checkbox' | 'select' | 'password' | 'email' | 'number' | 'file' | 'other'

export interface FormControl {
  name: string
  kind: ControlKind
  /** The value it would send as the page stands (for radios and checkboxes: their own value). */
  value: string
  checked: boolean
  /** Select options. */
  options: string[]
  maxLength?: number
}

export interface PageForm {
  /** The page the form was found on. */
  page: string
  action: string
  method: 'get' | 'post'
  multipart: boolean
  controls: FormControl[]
  /** The submit button's name and value, when it has them (its value is sent too). */
  submitter?: { name: string; value: string }
}

/** Forms on the page, except the header's sign-out form (present on every page). */
export function formsOn(page: Page): PageForm[] {
  const $ = page.$
  const forms: PageForm[] = []
  $('form').each((_, el) => {
    const form = $(el)
    const action = form.attr('action') || page.url
    if (action === '/sign-out') return
    const controls: FormControl[] = []
    form.find('input, textarea, select').each((_, c) => {
      const control = $(c)
      const name = control.attr('name')
      if (!name || control.is('[disabled]')) return
      const tag = (c as { tagName: string }).tagName.toLowerCase()
      const type = (control.attr('type') ?? 'text').toLowerCase()
      if (tag === 'input' && ['submit', 'button', 'reset', 'image'].includes(type)) return
      const kind: ControlKind =
        tag === 'textarea' ? 'textarea' : tag === 'select' ? 'select' : (['text', 'hidden', 'radio', 'checkbox', 'password', 'email', 'number', 'file'] as const).find((k) => k === type) ?? (['search', 'tel', 'url'].includes(type) ? 'text' : 'other')
      const options = tag === 'select' ? control.find('option').map((_, o) => $(o).attr('value') ?? $(o).text()).get() : []
      const selected = tag === 'select' ? (control.find('option[selected]').attr('value') ?? options[0] ?? '') : undefined
      const maxLength = Number(control.attr('maxlength') ?? control.closest('[data-maxlength]').attr('data-maxlength') ?? NaN)
      controls.push({
        name,
        kind,
        value: tag === 'textarea' ? control.text().replace(/^\n/, '') : (selected ?? control.attr('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')),
        checked: control.is('[checked]'),
        options,
        ...(Number.isFinite(maxLength) ? { maxLength } : {}),
      })
    })
    const button = form.find('button[name], input[type="submit"][name]').first()
    forms.push({
      page: page.url,
      action,
      method: (form.attr('method') ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
      multipart: (form.attr('enctype') ?? '').toLowerCase() === 'multipart/form-data',
      controls,
      ...(button.length ? { submitter: { name: button.attr('name')!, value: button.attr('value') ?? '' } } : {}),
    })
  })
  return forms
}

/** Controls grouped by name, in page order (radios and checkboxes share a name). */
export function controlGroups(form: PageForm): Map<string, FormControl[]> {
  const groups = new Map<string, FormControl[]>()
  for (const c of form.controls) groups.set(c.name, [...(groups.get(c.name) ?? []), c])
  return groups
}

/** Free-text controls: where a person types words (not dates, numbers, emails or passwords). */
export function isFreeText(control: FormControl): boolean {
  return (control.kind === 'text' || control.kind === 'textarea') && !isDatePart(control.name)
}

export function isDatePart(name: string): boolean {
  return /-(day|month|year)$/.test(name)
}

let unique = 0

/**
 * A value a careful person might give: what the page already holds, otherwise something
 * plausible for the field's name and type. Dates are today by the app clock (in the past and
 * the future at once, as far as "not in the future" and "today or later" rules go).
 */
export function plausibleValue(control: FormControl, today: { day: number; month: number; year: number }): string {
  if (control.value !== '' && control.kind !== 'radio' && control.kind !== 'checkbox') return control.value
  const name = control.name.toLowerCase()
  if (name.endsWith('-day')) return String(today.day)
  if (name.endsWith('-month')) return String(today.month)
  if (name.endsWith('-year')) return String(today.year)
  if (control.kind === 'email' || name.includes('email')) return `person${++unique}.${Date.now().toString(36)}@test.example`
  if (control.kind === 'password' || name.includes('password')) return `a long test password ${++unique}`
  if (control.kind === 'number' || /(age|days|count|number)/i.test(name)) return '2'
  if (name.includes('postcode')) return 'WX1 2AB'
  if (name.includes('time')) return '10:00'
  if (name.includes('code')) return '123456'
  return `Test answer ${++unique}`
}

export type ValueChoice = (control: FormControl, group: FormControl[]) => string | string[] | undefined

/**
 * The body a browser would send after the person filled the form: `choose` decides a control's
 * value (undefined = what a careful person would give); radios get their checked or first choice,
 * checkboxes their checked or first one, selects their selected or first real option.
 */
export function fillForm(form: PageForm, today: { day: number; month: number; year: number }, choose: ValueChoice = () => undefined): URLSearchParams {
  const body = new URLSearchParams()
  for (const [name, group] of controlGroups(form)) {
    const first = group[0]!
    const chosen = choose(first, group)
    if (chosen !== undefined) {
      for (const v of Array.isArray(chosen) ? chosen : [chosen]) body.append(name, v)
      continue
    }
    switch (first.kind) {
      case 'hidden':
        for (const c of group) body.append(name, c.value)
        break
      case 'radio':
        body.append(name, (group.find((c) => c.checked) ?? first).value)
        break
      case 'checkbox': {
        const checked = group.filter((c) => c.checked)
        for (const c of checked.length ? checked : [first]) body.append(name, c.value)
        break
      }
      case 'select':
        body.append(name, first.value !== '' ? first.value : (first.options.find((o) => o !== '') ?? ''))
        break
      case 'file':
        break
      default:
        for (const c of group) body.append(name, plausibleValue(c, today))
    }
  }
  if (form.submitter) body.append(form.submitter.name, form.submitter.value)
  return body
}

/** Today by the app clock, as date parts (Europe/London). */
export function todayParts(now: Date): { day: number; month: number; year: number } {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now).split('-').map(Number)
  return { day: day!, month: month!, year: year! }
}
