import type { Page, TestClient } from '../../helpers/client.js'
import { fillForm, formsOn, type PageForm } from './page-forms.js'

/**
 * Sends a form as the browser would and carries the journey on as a person would: follows the
 * redirect, and when the next page only asks to confirm (a form posting back to itself with nothing
 * to fill in, such as "check your answers"), confirms it. Returns every page along the way.
 */
export async function submitJourney(client: TestClient, form: PageForm, body: URLSearchParams, today: { day: number; month: number; year: number }): Promise<Page[]> {
  // The token of the session, whatever page was loaded last.
  if (client.lastCsrfToken) body.set('_csrf', client.lastCsrfToken)
  const pages: Page[] = []
  let page = form.method === 'post' ? await client.request('POST', form.action, { body }) : await client.get(`${form.action.split('?')[0]}?${body.toString()}`)
  pages.push(page)
  for (let step = 0; step < 3 && page.status === 303 && page.location; step++) {
    page = await client.get(page.location)
    pages.push(page)
    // A confirmation step posts back to its own page and has nothing to fill in.
    const confirm = formsOn(page).find((f) => f.method === 'post' && f.action === page.url && f.controls.every((c) => c.kind === 'hidden'))
    if (!confirm || step > 0) break
    page = await client.request('POST', confirm.action, { body: fillForm(confirm, today) })
    pages.push(page)
  }
  return pages
}
