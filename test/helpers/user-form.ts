import type { Page } from './client.js'

/** An administrator's edit-user form as the page shows it, so a test changes only what it means to. */
export function userEditForm(page: Page): Record<string, string | string[]> {
  return {
    version: page.$('form input[name="version"]').first().attr('value')!,
    displayName: page.$('#displayName').attr('value') ?? '',
    email: page.$('#email').attr('value') ?? '',
    serviceId: page.$('#serviceId option[selected]').attr('value') ?? '',
    roles: page.$('input[name="roles"][checked]').map((_, el) => page.$(el).attr('value')).get(),
  }
}
