import type { ConcernStatus } from '../db/schema.js'

/** What a referrer is told: plain words that never reveal a decision. */
export type ReferrerStatus = 'received' | 'being_looked_at' | 'addressed' | 'closed'

export function referrerStatus(status: ConcernStatus): ReferrerStatus {
  switch (status) {
    case 'submitted':
      return 'received'
    case 'allocated':
      return 'being_looked_at'
    case 'open':
    case 'closure_requested':
      return 'addressed'
    case 'closed':
      return 'closed'
  }
}

export const REFERRER_STATUS_LABELS: Record<ReferrerStatus, { text: string; colour: string }> = {
  received: { text: 'Received', colour: 'govuk-tag--blue' },
  being_looked_at: { text: 'Being looked at', colour: 'govuk-tag--yellow' },
  addressed: { text: 'Addressed', colour: 'govuk-tag--green' },
  closed: { text: 'Closed', colour: 'govuk-tag--grey' },
}

export const STATUS_LABELS: Record<ConcernStatus, string> = {
  submitted: 'New',
  allocated: 'Allocated',
  open: 'Open',
  closure_requested: 'Closure requested',
  closed: 'Closed',
}

/** SG-2026-00042: prefix, calendar year of receipt, a per-year sequence. */
export function formatReference(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(5, '0')}`
}
