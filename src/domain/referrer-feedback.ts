import type { ConcernStatus } from '../db/schema.js'

/**
 * What the referrer is told once their concern has been dealt with: plain, privacy-safe words
 * and who to contact. Never the decision, the risk level, the agencies or anything the DSOs wrote.
 */
export function referrerFeedback(concern: { status: ConcernStatus; addressed_at: Date | null }, leadName: string | null): string | null {
  if (!concern.addressed_at || concern.status === 'submitted' || concern.status === 'allocated') return null
  const lead = leadName ? ` ${leadName} is the Lead Designated Safeguarding Officer for it: contact them if you learn anything more or are worried again.` : ''
  return `The safeguarding team has looked at your concern and dealt with it.${lead} For privacy, we do not share what action was taken.`
}
