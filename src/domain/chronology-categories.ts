/** Categories of manual chronology entries (automatic ones are named by the transition they record). */
export const CHRONOLOGY_CATEGORIES = [
  'Contact with the person',
  'Contact with family or carers',
  'Contact with an agency',
  'Home visit',
  'Strategy discussion or meeting',
  'Information received',
  'Incident',
  'Other',
] as const

export const CHRONOLOGY_SUMMARY_MAX = 4000
