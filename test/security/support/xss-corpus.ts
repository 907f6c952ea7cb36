import type { CheerioAPI } from 'cheerio'

/**
 * Hostile text people could type into any free-text field. Each payload carries its own marker
 * (`kx_<n>_`), so wherever it shows up we know which one it was, and each tries to run
 * `alert('kx_<n>_')` if a page ever lets it out of its text.
 */
export interface Payload {
  marker: string
  name: string
  text: string
  /** For template syntax: what the page would show had the template engine evaluated it. */
  evaluated?: string
}

// Underscores: a marker can never turn up by chance in a base64 nonce, a UUID or an asset hash.
const m = (n: number) => `kx_${n}_`

export const XSS_PAYLOADS: Payload[] = [
  { marker: m(1), name: 'script tag', text: `<script>alert('${m(1)}')</script>` },
  { marker: m(2), name: 'image error handler', text: `"><img src=x onerror="alert('${m(2)}')">` },
  { marker: m(3), name: 'attribute breakout', text: `' autofocus onfocus='alert("${m(3)}")' x='` },
  { marker: m(4), name: 'javascript: link', text: `javascript:alert('${m(4)}')` },
  { marker: m(5), name: 'svg with script', text: `<svg onload=alert('${m(5)}')><script>alert('${m(5)}')</script></svg>` },
  { marker: m(6), name: 'closing textarea and title', text: `</textarea></title><script>alert('${m(6)}')</script>` },
  { marker: m(7), name: 'Nunjucks and Jinja template syntax', text: `${m(7)}{{7*7}}{% if true %}${m(7)}T{% endif %}${m(7)}`, evaluated: `${m(7)}49` },
  { marker: m(8), name: 'other template syntax', text: `${m(8)}\${7*7}#{7*7}<%= 7*7 %>${m(8)}`, evaluated: `${m(8)}49` },
  { marker: m(9), name: 'right-to-left override and zero-width characters', text: `${m(9)}\u202Egnp.exe\u202C\u200B\u200D\uFEFF<b>${m(9)}</b>` },
  { marker: m(10), name: 'spreadsheet formula', text: `=HYPERLINK("https://attacker.example/${m(10)}","x")` },
  { marker: m(11), name: 'HTML entities and encoded tags', text: `&lt;script&gt;alert('${m(11)}')&lt;/script&gt; %3Cscript%3E${m(11)} &#60;b&#62;` },
  { marker: m(12), name: 'a 100,000-character string', text: `${m(12)}<script>alert('${m(12)}')</script>${'A'.repeat(100_000)}` },
]

/** Tags that run, load or restyle things: none may come from what someone typed. */
const ACTIVE_TAGS = ['script', 'iframe', 'object', 'embed', 'img', 'svg', 'math', 'style', 'base', 'link', 'meta']

/**
 * The stretch of a payload from its first character that HTML escaping changes (< > " ' &) up
 * to its marker: present verbatim in a page only if the page did not escape it.
 */
export function rawSignature(p: Payload): string | undefined {
  const first = p.text.search(/[<>"'&]/)
  if (first < 0) return undefined
  const end = p.text.indexOf(p.marker, first)
  return end < 0 ? undefined : p.text.slice(first, end + p.marker.length)
}

/**
 * Ways a payload escaped its text on an HTML page: an element or attribute it created, an
 * event handler, a javascript: URL, or a template the engine evaluated. Text that merely shows
 * the payload (escaped) is fine.
 */
export function injectionsIn($: CheerioAPI, html: string, payloads: readonly Payload[]): string[] {
  const found: string[] = []
  $('*').each((_, el) => {
    const element = el as { tagName?: string; attribs?: Record<string, string> }
    const tag = (element.tagName ?? '').toLowerCase()
    for (const [name, value] of Object.entries(element.attribs ?? {})) {
      if (/^on/i.test(name)) found.push(`an ${name} attribute on <${tag}>`)
      if (/^(href|src|action|formaction|xlink:href)$/i.test(name) && /^\s*javascript:/i.test(value.replace(/[\u0000-\u001F\s]/g, ''))) found.push(`a javascript: URL in ${tag}[${name}]`)
      for (const p of payloads) if (name.includes(p.marker)) found.push(`an attribute named by ${p.name}`)
    }
    if (ACTIVE_TAGS.includes(tag)) {
      const own = $(el).clone().children().remove().end().toString()
      for (const p of payloads) {
        // The element itself (not text inside a legitimate one) carries the marker: the payload made it.
        const opening = own.slice(0, own.indexOf('>') + 1)
        if (opening.includes(p.marker) || (tag === 'script' && $(el).text().includes(p.marker))) found.push(`a <${tag}> made by the ${p.name} payload`)
      }
    }
  })
  for (const p of payloads) {
    if (p.evaluated && html.includes(p.evaluated)) found.push(`the ${p.name} payload was evaluated`)
    const raw = rawSignature(p)
    if (raw && html.includes(raw)) found.push(`the ${p.name} payload appears unescaped`)
  }
  return found
}

/** Every marker of the corpus that appears on the page (escaped or not). */
export function markersShown(html: string, payloads: readonly Payload[]): Payload[] {
  return payloads.filter((p) => html.includes(p.marker))
}
