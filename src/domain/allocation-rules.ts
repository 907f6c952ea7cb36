/**
 * Who may be Lead and Second DSO on a concern (domain.md glossary): two different people, both
 * active DSOs, neither the referrer nor named in the concern.
 *
 * "Named in the concern" compares the DSO's name with what the referrer wrote about the people
 * involved — the subject's name, the names they are known by, and the household — never the
 * free-text narrative (it names too many people in passing). Names are compared as words,
 * ignoring case, accents and punctuation. A DSO is named when their whole name appears as
 * consecutive words in any of those fields, or when the subject's first and last words are the
 * DSO's first and last names (so a middle name does not hide a match). A one-word display name
 * only matches a field that is exactly that word, so a shared first name alone never blocks
 * someone.
 */

export interface Candidate {
  id: string
  displayName: string
  /** An active account holding the DSO role. */
  activeDso: boolean
}

export interface ConcernPeople {
  referrerUserId: string
  personName: string
  personKnownAs: string | null
  householdMembers: string | null
}

export interface AllocationChoice {
  leadId: string | null
  secondId: string | null
}

export interface Problem<F extends string = string> {
  field: F
  message: string
}

export function nameWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
}

function containsSequence(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((w, j) => haystack[i + j] === w)) return true
  }
  return false
}

export function isNamedInConcern(displayName: string, people: Omit<ConcernPeople, 'referrerUserId'>): boolean {
  const name = nameWords(displayName)
  if (name.length === 0) return false
  const fields = [people.personName, people.personKnownAs, people.householdMembers].filter((f): f is string => !!f).map(nameWords)
  if (name.length === 1) return fields.some((f) => f.length === 1 && f[0] === name[0])
  if (fields.some((f) => containsSequence(f, name))) return true
  const subject = nameWords(people.personName)
  return subject.length >= 2 && subject[0] === name[0] && subject[subject.length - 1] === name[name.length - 1]
}

/** Everything wrong with a choice of Lead and Second DSO, in form order. Empty means allowed. */
export function allocationProblems(choice: AllocationChoice, concern: ConcernPeople, candidates: ReadonlyMap<string, Candidate>): Problem<'leadId' | 'secondId'>[] {
  const problems: Problem<'leadId' | 'secondId'>[] = []
  const check = (field: 'leadId' | 'secondId', role: string, id: string | null) => {
    if (!id) return problems.push({ field, message: `Select the ${role}` })
    const person = candidates.get(id)
    if (!person || !person.activeDso) return problems.push({ field, message: `Select a ${role} from the list of active DSOs` })
    if (id === concern.referrerUserId) return problems.push({ field, message: `${person.displayName} raised this concern, so cannot be the ${role}` })
    if (isNamedInConcern(person.displayName, concern)) return problems.push({ field, message: `${person.displayName} is named in this concern, so cannot be the ${role}` })
    return undefined
  }
  check('leadId', 'Lead DSO', choice.leadId)
  check('secondId', 'Second DSO', choice.secondId)
  if (choice.leadId && choice.leadId === choice.secondId && !problems.some((p) => p.field === 'secondId')) {
    problems.push({ field: 'secondId', message: 'The Second DSO must be a different person from the Lead DSO' })
  }
  return problems
}
