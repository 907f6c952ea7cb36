import type { RouteSpec } from '../../../src/routing.js'
import type { Page, TestClient } from '../../helpers/client.js'
import { isPublic, mayUse, routesOf } from './app-routes.js'
import { formsOn, type PageForm } from './page-forms.js'
import { visiblePaths } from './route-records.js'
import type { Persona, World } from './world.js'

/**
 * Walks every GET route as every role the policy lets in, on every record of the world the
 * persona may see, and hands back what a person would find: the pages and the forms on them.
 */
export interface Visit {
  persona: Persona
  route: RouteSpec
  path: string
  page: Page
}

export interface FoundForm {
  persona: Persona
  form: PageForm
}

const SESSION_PAGES = new Set(['/sign-out'])
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

export async function visitEveryPage(world: World, onPage?: (visit: Visit) => void | Promise<void>): Promise<Visit[]> {
  const visits: Visit[] = []
  for (const route of routesOf(world.app).filter((r) => r.method === 'get' && !isPublic(r))) {
    for (const persona of world.personas.filter((p) => mayUse(p, route))) {
      for (const { path } of visiblePaths(route, persona, world)) {
        const page = await persona.client.get(path)
        const visit = { persona, route, path, page }
        visits.push(visit)
        await onPage?.(visit)
      }
    }
  }
  return visits
}

/** Signed-out pages (sign-in and its steps), seen by a new visitor. */
export async function visitPublicPages(world: World, client: TestClient): Promise<Page[]> {
  const pages: Page[] = []
  for (const route of routesOf(world.app).filter((r) => r.method === 'get' && isPublic(r) && !r.path.includes(':'))) {
    const page = await client.get(route.path)
    if (/text\/html/.test(page.headers.get('content-type') ?? '')) pages.push(page)
  }
  return pages
}

/**
 * Every distinct form found, once per shape (method, action with ids taken out, field names),
 * with the first persona who was shown it: the same form on every record, or shown to several
 * roles, is one form to attack.
 */
export async function discoverForms(world: World, options: { method?: 'post' | 'get' } = {}): Promise<FoundForm[]> {
  return formsFound(await visitEveryPage(world), options)
}

/** The distinct forms on pages already visited (see discoverForms). */
export function formsFound(visits: readonly Visit[], options: { method?: 'post' | 'get' } = {}): FoundForm[] {
  const found: FoundForm[] = []
  const seen = new Set<string>()
  for (const { persona, page } of visits) {
    if (page.status !== 200) continue
    for (const form of formsOn(page)) {
      if (options.method && form.method !== options.method) continue
      if (SESSION_PAGES.has(form.action)) continue
      const shape = `${form.method} ${form.action.replace(UUIDS, ':id')} ${form.controls.map((c) => c.name).join(',')}`
      if (seen.has(shape)) continue
      seen.add(shape)
      found.push({ persona, form })
    }
  }
  return found
}

/** Same-site links on a page that carry a query string (filters, sorts, pages, exports). */
export function queryLinks(page: Page): string[] {
  return page
    .$('a[href]')
    .map((_, a) => page.$(a).attr('href')!)
    .get()
    .filter((href) => href.startsWith('/') && !href.startsWith('//') && href.includes('?'))
}

/**
 * A link's shape: its path with ids taken out and the names of its parameters. Lists link to
 * hundreds of pages of the same shape; one of each is enough to see how the shape behaves.
 */
export function linkShape(href: string): string {
  const url = new URL(href, 'http://x')
  return `${url.pathname.replace(UUIDS, ':id')}?${[...new Set(url.searchParams.keys())].sort().join('&')}`
}
