import { z } from 'zod'
import { oneOf } from '../../../forms.js'

export const securitySettingsSchema = z.object({
  mfaRequired: oneOf(['yes', 'no'] as const, 'Select whether two-step verification is required'),
  version: z.unknown().refine((v) => typeof v === 'string' && /^\d{1,9}$/.test(v), 'The form is out of date: reload the page').transform((v) => Number(v)),
})
