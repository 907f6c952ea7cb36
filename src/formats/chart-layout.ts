/**
 * Chart geometry, shared by the SVG on pages and the drawing in the PDF, so both show the same
 * picture. Pure arithmetic: sizes in user units, origin at the top left.
 */
export interface Series {
  name: string
  values: number[]
}

export interface ChartSpec {
  title: string
  /** One sentence a screen reader gets instead of the picture (the table beside has every number). */
  description: string
  categories: string[]
  series: Series[]
}

export const SERIES_COLOURS = ['#1d70b8', '#505a5f', '#00703c', '#912b88'] as const

/** A round step for the value axis: 1, 2, 5, 10, 20, 50 … giving at most `maxTicks` ticks. */
export function niceStep(max: number, maxTicks = 5): number {
  if (max <= 0) return 1
  const raw = max / maxTicks
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= raw) return Math.max(1, m * magnitude)
  return 10 * magnitude
}

export interface Rect {
  x: number
  y: number
  width: number
  height: number
  colour: string
  value: number
  label: string
}

export interface Text {
  x: number
  y: number
  text: string
  anchor: 'start' | 'middle' | 'end'
  size: number
}

export interface Line {
  x1: number
  y1: number
  x2: number
  y2: number
}

export interface ChartDrawing {
  width: number
  height: number
  rects: Rect[]
  texts: Text[]
  lines: Line[]
  legend: { x: number; y: number; colour: string; text: string }[]
}

/** Horizontal bars, one group per category (services, types): long labels read easily on the left. */
export function horizontalBars(spec: ChartSpec, width = 640): ChartDrawing {
  const labelWidth = Math.min(260, Math.max(120, Math.max(0, ...spec.categories.map((c) => c.length)) * 6.2))
  const barHeight = 14
  const groupGap = 10
  const top = spec.series.length > 1 ? 34 : 12
  const groupHeight = spec.series.length * barHeight + groupGap
  const plotLeft = labelWidth + 8
  const plotWidth = width - plotLeft - 48
  const max = Math.max(1, ...spec.series.flatMap((s) => s.values))
  const step = niceStep(max)
  const axisMax = Math.ceil(max / step) * step
  const height = top + spec.categories.length * groupHeight + 28
  const drawing: ChartDrawing = { width, height, rects: [], texts: [], lines: [], legend: [] }
  spec.series.forEach((s, i) => drawing.legend.push({ x: plotLeft + i * 160, y: 10, colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!, text: s.name }))
  for (let tick = 0; tick <= axisMax; tick += step) {
    const x = plotLeft + (tick / axisMax) * plotWidth
    drawing.lines.push({ x1: x, y1: top - 4, x2: x, y2: height - 24 })
    drawing.texts.push({ x, y: height - 8, text: tick.toLocaleString('en-GB'), anchor: 'middle', size: 11 })
  }
  spec.categories.forEach((category, c) => {
    const groupTop = top + c * groupHeight
    drawing.texts.push({ x: labelWidth, y: groupTop + (spec.series.length * barHeight) / 2 + 4, text: category, anchor: 'end', size: 12 })
    spec.series.forEach((s, i) => {
      const value = s.values[c] ?? 0
      const y = groupTop + i * barHeight
      const w = (value / axisMax) * plotWidth
      drawing.rects.push({ x: plotLeft, y, width: Math.max(w, value > 0 ? 1 : 0), height: barHeight - 2, colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!, value, label: `${category}, ${s.name}: ${value}` })
      drawing.texts.push({ x: plotLeft + w + 4, y: y + barHeight - 4, text: value.toLocaleString('en-GB'), anchor: 'start', size: 11 })
    })
  })
  return drawing
}

/** Columns over time (months, quarters), one colour per series, values above the columns. */
export function columns(spec: ChartSpec, width = 640, height = 260): ChartDrawing {
  const left = 40
  const top = spec.series.length > 1 ? 34 : 16
  const bottom = 36
  const plotWidth = width - left - 8
  const plotHeight = height - top - bottom
  const max = Math.max(1, ...spec.series.flatMap((s) => s.values))
  const step = niceStep(max)
  const axisMax = Math.ceil(max / step) * step
  const drawing: ChartDrawing = { width, height, rects: [], texts: [], lines: [], legend: [] }
  spec.series.forEach((s, i) => drawing.legend.push({ x: left + i * 160, y: 10, colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!, text: s.name }))
  for (let tick = 0; tick <= axisMax; tick += step) {
    const y = top + plotHeight - (tick / axisMax) * plotHeight
    drawing.lines.push({ x1: left, y1: y, x2: width - 8, y2: y })
    drawing.texts.push({ x: left - 6, y: y + 4, text: tick.toLocaleString('en-GB'), anchor: 'end', size: 11 })
  }
  const slot = plotWidth / Math.max(1, spec.categories.length)
  const barWidth = Math.max(2, (slot * 0.8) / Math.max(1, spec.series.length))
  spec.categories.forEach((category, c) => {
    const slotLeft = left + c * slot + slot * 0.1
    drawing.texts.push({ x: left + c * slot + slot / 2, y: height - bottom + 16, text: category, anchor: 'middle', size: spec.categories.length > 8 ? 10 : 12 })
    spec.series.forEach((s, i) => {
      const value = s.values[c] ?? 0
      const h = (value / axisMax) * plotHeight
      const x = slotLeft + i * barWidth
      drawing.rects.push({ x, y: top + plotHeight - h, width: barWidth - 1, height: h, colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!, value, label: `${category}, ${s.name}: ${value}` })
      if (spec.categories.length * spec.series.length <= 24) drawing.texts.push({ x: x + (barWidth - 1) / 2, y: top + plotHeight - h - 3, text: value.toLocaleString('en-GB'), anchor: 'middle', size: 10 })
    })
  })
  return drawing
}
