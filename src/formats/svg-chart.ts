import type { ChartDrawing, ChartSpec } from './chart-layout.js'

/**
 * A chart as inline SVG that needs no script and no inline style (the CSP allows neither):
 * colours are SVG presentation attributes. `role="img"` with a title and description names it
 * for assistive technology; the table beside it holds the same numbers.
 */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const round = (n: number) => Math.round(n * 10) / 10

export function chartSvg(id: string, spec: ChartSpec, drawing: ChartDrawing): string {
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new Error('Chart ids are simple names')
  const parts: string[] = []
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="kestrel-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${drawing.width} ${round(drawing.height)}" width="${drawing.width}" height="${round(drawing.height)}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif">`)
  parts.push(`<title id="${id}-title">${escapeXml(spec.title)}</title>`)
  parts.push(`<desc id="${id}-desc">${escapeXml(spec.description)}</desc>`)
  for (const l of drawing.lines) parts.push(`<line x1="${round(l.x1)}" y1="${round(l.y1)}" x2="${round(l.x2)}" y2="${round(l.y2)}" stroke="#b1b4b6" stroke-width="1"/>`)
  for (const r of drawing.rects) parts.push(`<rect x="${round(r.x)}" y="${round(r.y)}" width="${round(r.width)}" height="${round(r.height)}" fill="${r.colour}"/>`)
  for (const t of drawing.texts) parts.push(`<text x="${round(t.x)}" y="${round(t.y)}" text-anchor="${t.anchor}" font-size="${t.size}" fill="#0b0c0c">${escapeXml(t.text)}</text>`)
  for (const l of drawing.legend) {
    parts.push(`<rect x="${round(l.x)}" y="${round(l.y)}" width="12" height="12" fill="${l.colour}"/>`)
    parts.push(`<text x="${round(l.x + 16)}" y="${round(l.y + 10)}" font-size="12" fill="#0b0c0c">${escapeXml(l.text)}</text>`)
  }
  parts.push('</svg>')
  return parts.join('')
}
