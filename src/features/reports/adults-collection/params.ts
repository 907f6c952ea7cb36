import type { Disclosure } from '../../../domain/kpis/suppression.js'

/** `share=outside` turns small-number suppression on; `round=yes` also rounds counts to the nearest 5. */
export function parseDisclosure(query: Record<string, unknown>): { ok: true; disclosure: Disclosure; values: { share: string; round: string } } | { ok: false; message: string } {
  const share = query.share ?? 'internal'
  const round = query.round ?? 'no'
  if (share !== 'internal' && share !== 'outside') return { ok: false, message: 'Choose whether the tables are for use inside the organisation or to share outside it' }
  if (round !== 'no' && round !== 'yes') return { ok: false, message: 'Choose whether to round counts to the nearest 5' }
  return { ok: true, disclosure: { suppress: share === 'outside', roundToFive: share === 'outside' && round === 'yes' }, values: { share, round } }
}
