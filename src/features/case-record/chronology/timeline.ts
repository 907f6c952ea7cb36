import type { listChronology } from '../../../repositories/chronology-repository.js'

type Entry = Awaited<ReturnType<typeof listChronology>>[number]

/**
 * The chronology as the timeline shows it, newest first: each entry with the entry it corrects
 * and the correction made to it, if any (both stay; neither is hidden).
 */
export function timelineItems(entries: readonly Entry[], options: { significantOnly: boolean }) {
  const byId = new Map(entries.map((e) => [e.id, e]))
  const correctedBy = new Map<string, Entry>()
  for (const e of entries) if (e.corrects_id) correctedBy.set(e.corrects_id, e)
  return [...entries]
    .reverse()
    .filter((e) => !options.significantOnly || e.significant)
    .map((e) => ({ ...e, corrects: e.corrects_id ? byId.get(e.corrects_id) : undefined, correctedBy: correctedBy.get(e.id) }))
}
