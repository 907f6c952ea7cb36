/**
 * Which GOV.UK Notify template an email is sent with. Each kind of email may have its own
 * template; a general template ("((subject))" / "((body))") covers every kind without one, so a
 * kind added in a new release is sent rather than left waiting in the outbox.
 */
export const GENERAL_TEMPLATE = 'general'

export function notifyTemplateFor(templates: Readonly<Record<string, string>>, kind: string): string | undefined {
  return templates[kind] || templates[GENERAL_TEMPLATE] || undefined
}

/** The kinds that no saved template covers: their emails would wait in the outbox. */
export function kindsWithoutTemplate<K extends string>(templates: Readonly<Record<string, string>>, kinds: readonly K[]): K[] {
  return kinds.filter((k) => !notifyTemplateFor(templates, k))
}
