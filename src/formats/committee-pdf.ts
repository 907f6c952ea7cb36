import PDFDocument from 'pdfkit'
import type { NarrativeParagraph } from '../domain/kpis/committee-narrative.js'
import type { ReportTable } from '../domain/kpis/report-table.js'
import type { ChartDrawing, ChartSpec } from './chart-layout.js'

/**
 * The committee report as a tagged PDF: a structure tree (document, headings, paragraphs,
 * tables with header cells, figures with alternative text), the document language and title
 * shown in the window, so screen readers and reflow work. Page furniture (the footer) is marked
 * as an artifact. Standard Helvetica is used: no font files ship with Kestrel.
 */
export interface CommitteePdfInput {
  title: string
  subtitle: string
  narrativeHeading: string
  narrative: readonly NarrativeParagraph[]
  tables: readonly ReportTable[]
  charts: readonly { spec: ChartSpec; drawing: ChartDrawing; table: ReportTable }[]
  generatedOn: string
}

const MARGIN = 56
type Doc = InstanceType<typeof PDFDocument>
type Struct = ReturnType<Doc['struct']>

function heading(doc: Doc, parent: Struct, level: 'H1' | 'H2' | 'H3', text: string): void {
  const size = level === 'H1' ? 20 : level === 'H2' ? 15 : 12
  doc.moveDown(level === 'H1' ? 0 : 0.8)
  doc.font('Helvetica-Bold').fontSize(size).fillColor('#0b0c0c')
  parent.add(doc.struct(level, {}, () => {
    doc.text(text, { width: doc.page.width - MARGIN * 2 })
  }))
  doc.moveDown(0.4)
}

function paragraph(doc: Doc, parent: Struct, text: string, size = 11): void {
  doc.font('Helvetica').fontSize(size).fillColor('#0b0c0c')
  parent.add(doc.struct('P', {}, () => {
    doc.text(text, { width: doc.page.width - MARGIN * 2, lineGap: 2 })
  }))
  doc.moveDown(0.5)
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN - 20) doc.addPage()
}

function table(doc: Doc, parent: Struct, t: ReportTable): void {
  heading(doc, parent, 'H3', t.title)
  ensureRoom(doc, 60)
  const header = [{ text: t.rowHeading, type: 'TH', scope: 'Column', font: { src: 'Helvetica-Bold' } }, ...t.columns.map((c) => ({ text: c, type: 'TH', scope: 'Column', font: { src: 'Helvetica-Bold' }, align: { x: 'right' } }))]
  const rows = t.rows.map((r) => [
    { text: r.label, type: 'TH', scope: 'Row', font: { src: r.total ? 'Helvetica-Bold' : 'Helvetica' } },
    ...r.cells.map((c) => ({ text: c.text, font: { src: r.total ? 'Helvetica-Bold' : 'Helvetica' }, align: { x: 'right' } })),
  ])
  const width = doc.page.width - MARGIN * 2
  const first = Math.max(width * 0.4, width - t.columns.length * 90)
  doc.fontSize(9).fillColor('#0b0c0c')
  doc.table({
    data: [header, ...rows],
    structParent: parent,
    columnStyles: [first, ...t.columns.map(() => (width - first) / t.columns.length)],
    defaultStyle: { border: { top: 0, left: 0, right: 0, bottom: 0.5 }, borderColor: '#b1b4b6', padding: 3 },
  } as never)
  doc.moveDown(0.3)
  if (t.note) {
    doc.font('Helvetica').fontSize(8).fillColor('#505a5f')
    parent.add(doc.struct('P', {}, () => {
      doc.text(t.note!, { width })
    }))
    doc.fillColor('#0b0c0c')
  }
  doc.moveDown(0.6)
}

function figure(doc: Doc, parent: Struct, spec: ChartSpec, drawing: ChartDrawing): void {
  const width = doc.page.width - MARGIN * 2
  const scale = width / drawing.width
  ensureRoom(doc, drawing.height * scale + 30)
  heading(doc, parent, 'H3', spec.title)
  const left = MARGIN
  const top = doc.y
  parent.add(
    doc.struct('Figure', { alt: spec.description }, () => {
      doc.save()
      for (const l of drawing.lines) doc.moveTo(left + l.x1 * scale, top + l.y1 * scale).lineTo(left + l.x2 * scale, top + l.y2 * scale).lineWidth(0.5).strokeColor('#b1b4b6').stroke()
      for (const r of drawing.rects) if (r.height > 0 && r.width > 0) doc.rect(left + r.x * scale, top + r.y * scale, r.width * scale, r.height * scale).fillColor(r.colour).fill()
      for (const l of drawing.legend) doc.rect(left + l.x * scale, top + l.y * scale, 9, 9).fillColor(l.colour).fill()
      doc.fillColor('#0b0c0c').font('Helvetica')
      for (const t of drawing.texts) {
        const size = t.size * scale
        doc.fontSize(size)
        const w = doc.widthOfString(t.text)
        const x = t.anchor === 'start' ? t.x * scale : t.anchor === 'middle' ? t.x * scale - w / 2 : t.x * scale - w
        doc.text(t.text, left + x, top + t.y * scale - size, { lineBreak: false })
      }
      for (const l of drawing.legend) {
        doc.fontSize(12 * scale)
        doc.text(l.text, left + (l.x + 16) * scale, top + l.y * scale, { lineBreak: false })
      }
      doc.restore()
    }),
  )
  doc.x = MARGIN
  doc.y = top + drawing.height * scale + 10
}

export function committeePdf(input: CommitteePdfInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      tagged: true,
      lang: 'en-GB',
      displayTitle: true,
      pdfVersion: '1.7',
      bufferPages: true,
      info: { Title: input.title, Subject: input.subtitle, Creator: 'Kestrel', Author: 'Kestrel' },
    } as never)
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)

    const root = doc.struct('Document')
    doc.addStructure(root)
    heading(doc, root, 'H1', input.title)
    paragraph(doc, root, input.subtitle, 12)
    heading(doc, root, 'H2', input.narrativeHeading)
    const list = doc.struct('Sect')
    root.add(list)
    for (const p of input.narrative) paragraph(doc, list, p.text)
    list.end()
    heading(doc, root, 'H2', 'Figures')
    for (const t of input.tables) table(doc, root, t)
    heading(doc, root, 'H2', 'Charts')
    paragraph(doc, root, 'Each chart shows numbers that are also given in the tables above.', 10)
    for (const c of input.charts) figure(doc, root, c.spec, c.drawing)
    root.end()

    // Footers on every page, marked as page furniture rather than content.
    const range = doc.bufferedPageRange()
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i)
      doc.markContent('Artifact', { type: 'Pagination' })
      doc.font('Helvetica').fontSize(8).fillColor('#505a5f')
      doc.text(`${input.title} – page ${i + 1} of ${range.count} – produced by Kestrel on ${input.generatedOn}`, MARGIN, doc.page.height - MARGIN + 16, { width: doc.page.width - MARGIN * 2, align: 'center', lineBreak: false })
      doc.endMarkedContent()
    }
    doc.end()
  })
}
