import { DateTime } from 'luxon'

/** Whole years between a date of birth and a London calendar date. */
export function ageOn(dateOfBirth: string, onDate: string): number {
  const dob = DateTime.fromISO(dateOfBirth)
  const on = DateTime.fromISO(onDate)
  let years = on.year - dob.year
  if (on.month < dob.month || (on.month === dob.month && on.day < dob.day)) years--
  return years
}
