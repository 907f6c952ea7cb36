/**
 * The columns of a historical import (docs/import.md). Names are matched exactly after
 * lower-casing and trimming; the order does not matter.
 */
export interface ImportColumn {
  name: string
  required: boolean
  description: string
  example: string
}

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { name: 'external_reference', required: true, description: 'Your reference for the record, unique in the file. Importing a record with a reference already imported changes nothing.', example: 'OLD-2021-0042' },
  { name: 'received_at', required: true, description: 'When the concern was received: 2021-06-14, 14/06/2021, or with a time, 14/06/2021 10:30.', example: '14/06/2021 10:30' },
  { name: 'referring_service', required: true, description: 'The service that raised it, as named in Kestrel’s list of services.', example: 'Housing Management' },
  { name: 'at_risk', required: true, description: 'adult, child, unborn or household.', example: 'adult' },
  { name: 'date_of_birth', required: false, description: 'Date of birth of the person at risk. Give this or age.', example: '02/03/1941' },
  { name: 'age', required: false, description: 'Age in whole years when the concern was received, if the date of birth is not known.', example: '' },
  { name: 'gender', required: false, description: 'Female, Male, Other or Not known.', example: 'Female' },
  { name: 'types', required: true, description: 'Types of concern from Kestrel’s lists, separated by ;. For a household, write adult: or child: in front where a name is in both lists.', example: 'Financial or Material Abuse; Self-Neglect' },
  { name: 'location_of_risk', required: false, description: 'Where the risk was, from the Safeguarding Adults Collection list (Own Home, In the Community (excluding community services) …).', example: 'Own Home' },
  { name: 'source_of_risk', required: false, description: 'Service Provider, Other - Known to Individual or Other - Unknown to Individual.', example: 'Other - Known to Individual' },
  { name: 'source_of_concern', required: false, description: 'Who raised the concern: Council staff, Family member, Residential care staff, Police, GP …', example: 'Council staff' },
  { name: 'addressed_at', required: true, description: 'When the initial decision was made (the date the concern was addressed).', example: '15/06/2021' },
  { name: 'decision', required: true, description: 'Onward referral, Advice and guidance, No further action or Already known to an agency.', example: 'Onward referral' },
  { name: 'onward_agencies', required: false, description: 'Agencies referred to, from Kestrel’s list of agencies, separated by ;.', example: 'Adult Social Care; Action Fraud' },
  { name: 'closed_at', required: false, description: 'When the case was closed, if it was.', example: '30/07/2021' },
  { name: 'outcome', required: false, description: 'Substantiated, Partly Substantiated, Not Substantiated, Inconclusive, or a Safeguarding Adults Collection outcome. Needs closed_at.', example: 'Substantiated' },
  { name: 'risk_outcome', required: false, description: 'Risk remained, Risk reduced or Risk removed. Needs closed_at.', example: 'Risk reduced' },
  { name: 'person_name', required: false, description: 'The name of the person at risk, if the spreadsheet has it. Used to find repeat concerns about the same person.', example: 'Margaret Ellis' },
]

export const IMPORT_COLUMN_NAMES = IMPORT_COLUMNS.map((c) => c.name)
export const REQUIRED_COLUMNS = IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.name)

/** What an imported concern holds where the spreadsheet had nothing: never matched as a name. */
export const NAME_NOT_RECORDED = 'Name not recorded'
export const NARRATIVE_NOT_IMPORTED = 'Imported from a historical record. No account of what happened was imported.'

/** Columns whose values are personal: a problem report names the column, never repeats the value. */
export const PERSONAL_COLUMNS = new Set(['person_name', 'date_of_birth'])
