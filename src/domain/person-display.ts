import { ageOn } from './age.js'

/** "34", "about 34", or "Unborn child" — how lists describe a person's age. */
export function describeAge(person: { at_risk: string; person_date_of_birth: string | null; person_age_years: number | null }, today: string): string {
  if (person.at_risk === 'unborn') return 'Unborn child'
  if (person.person_date_of_birth) return String(ageOn(person.person_date_of_birth, today))
  if (person.person_age_years !== null) return `about ${person.person_age_years}`
  return 'Not known'
}
