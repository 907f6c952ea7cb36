/** Whole years between a date of birth and a London calendar date. */
export function ageOn(dateOfBirth: string, onDate: string): number {
  // ISO dates compare as text: a birthday not yet reached this year is a later month-day.
  const years = Number(onDate.slice(0, 4)) - Number(dateOfBirth.slice(0, 4))
  return onDate.slice(5, 10) < dateOfBirth.slice(5, 10) ? years - 1 : years
}
