import { BadRequest } from './http-errors.js'

export const PAGE_SIZE = 50

/** ?page=N, 1-based. Anything else is a bad request, not silently page 1. */
export function pageFromQuery(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page
  if (raw === undefined) return 1
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,4}$/.test(raw)) throw new BadRequest('Invalid page number')
  return Number(raw)
}

/** Items for the GOV.UK pagination component. */
export function paginationView(page: number, total: number, href: (page: number) => string, pageSize = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (pages <= 1) return undefined
  const items = []
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) items.push({ number: n, href: href(n), current: n === page })
    else if (items.length && !('ellipsis' in items[items.length - 1]!)) items.push({ ellipsis: true })
  }
  return {
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    items,
  }
}
