import { ageOn } from './age.js'

/**
 * Finding a person already in the person index (issue 4 "People"). Names are compared the way
 * PostgreSQL's pg_trgm compares them — the share of three-letter pieces two names have in
 * common — so "Jon Smyth" and "John Smith" score about 0.31 although no word is spelt the same.
 * The database uses pg_trgm to fetch candidates quickly; this module decides which to offer.
 *
 * A candidate is offered when the evidence adds up: a close name alone, or a looser name with
 * the same date of birth or postcode, or the same date of birth and postcode with any
 * resemblance in the name. A different date of birth rules a candidate out (different people
 * share names), and so does an approximate age more than two years from theirs.
 */

/** Lower-case words without accents, as pg_trgm splits them (letters and digits). */
function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

/** pg_trgm's trigrams: each word padded with two spaces in front and one behind. */
export function trigrams(text: string): Set<string> {
  const set = new Set<string>()
  for (const word of words(text)) {
    const padded = `  ${word} `
    for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3))
  }
  return set
}

/** pg_trgm's similarity(): shared trigrams over all distinct trigrams of both. */
export function nameSimilarity(a: string, b: string): number {
  const ta = trigrams(a)
  const tb = trigrams(b)
  if (ta.size === 0 || tb.size === 0) return 0
  let shared = 0
  for (const t of ta) if (tb.has(t)) shared++
  return shared / (ta.size + tb.size - shared)
}

export function normalisePostcodeKey(postcode: string | null | undefined): string | null {
  const key = postcode?.replace(/\s+/g, '').toUpperCase()
  return key ? key : null
}

export interface PersonDetails {
  name: string
  otherNames?: string | null
  dateOfBirth: string | null
  ageYears?: number | null
  postcode: string | null
}

export interface PersonCandidate extends PersonDetails {
  id: string
}

export type Agreement = 'same' | 'different' | 'unknown'

export interface PersonMatch<C extends PersonCandidate = PersonCandidate> {
  candidate: C
  nameScore: number
  dateOfBirth: Agreement
  postcode: Agreement
  strength: 'strong' | 'possible'
  /** Plain words for the page: why this person is offered. */
  reasons: string[]
}

/** The best similarity between any of one person's names and any of the other's. */
function bestNameScore(a: PersonDetails, b: PersonDetails): number {
  const namesA = [a.name, ...splitOtherNames(a.otherNames)]
  const namesB = [b.name, ...splitOtherNames(b.otherNames)]
  let best = 0
  for (const x of namesA) for (const y of namesB) best = Math.max(best, nameSimilarity(x, y))
  return best
}

function splitOtherNames(otherNames: string | null | undefined): string[] {
  return (otherNames ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

function dateOfBirthAgreement(a: PersonDetails, b: PersonDetails, today: string): Agreement {
  if (a.dateOfBirth && b.dateOfBirth) return a.dateOfBirth === b.dateOfBirth ? 'same' : 'different'
  // One side has only an approximate age: a big gap rules the match out, a small one proves nothing.
  const ageA = a.dateOfBirth ? ageOn(a.dateOfBirth, today) : (a.ageYears ?? null)
  const ageB = b.dateOfBirth ? ageOn(b.dateOfBirth, today) : (b.ageYears ?? null)
  if (ageA !== null && ageB !== null && Math.abs(ageA - ageB) > 2) return 'different'
  return 'unknown'
}

function postcodeAgreement(a: PersonDetails, b: PersonDetails): Agreement {
  const pa = normalisePostcodeKey(a.postcode)
  const pb = normalisePostcodeKey(b.postcode)
  if (!pa || !pb) return 'unknown'
  return pa === pb ? 'same' : 'different'
}

/** Scores one candidate; undefined when the evidence is not enough to offer them. */
export function matchPerson<C extends PersonCandidate>(query: PersonDetails, candidate: C, today: string): PersonMatch<C> | undefined {
  const nameScore = bestNameScore(query, candidate)
  const dateOfBirth = dateOfBirthAgreement(query, candidate, today)
  const postcode = postcodeAgreement(query, candidate)
  if (dateOfBirth === 'different') return undefined
  const offered = nameScore >= 0.6 || (nameScore >= 0.3 && (dateOfBirth === 'same' || postcode === 'same')) || (nameScore >= 0.15 && dateOfBirth === 'same' && postcode === 'same')
  if (!offered) return undefined
  const reasons = [nameScore >= 0.999 ? 'Same name' : nameScore >= 0.6 ? 'Very similar name' : 'Similar name']
  if (dateOfBirth === 'same') reasons.push('same date of birth')
  if (postcode === 'same') reasons.push('same postcode')
  const strength = (dateOfBirth === 'same' && (postcode === 'same' || nameScore >= 0.6)) || (nameScore >= 0.999 && postcode === 'same') ? 'strong' : 'possible'
  return { candidate, nameScore, dateOfBirth, postcode, strength, reasons }
}

/** Candidates worth offering, best first. */
export function rankMatches<C extends PersonCandidate>(query: PersonDetails, candidates: readonly C[], today: string): PersonMatch<C>[] {
  const score = (m: PersonMatch<C>) => m.nameScore + (m.dateOfBirth === 'same' ? 1 : 0) + (m.postcode === 'same' ? 0.5 : 0)
  return candidates
    .map((c) => matchPerson(query, c, today))
    .filter((m): m is PersonMatch<C> => m !== undefined)
    .sort((a, b) => score(b) - score(a))
}

/** Candidates the database should fetch: names at least this similar, or the same date of birth or postcode. */
export const CANDIDATE_NAME_THRESHOLD = 0.15
