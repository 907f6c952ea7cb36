import { z } from 'zod'
import { normaliseRecoveryCode } from '../../../domain/mfa.js'

export const RECOVERY_CODE_WRONG = 'The recovery code is not correct, or it has already been used'

export const recoveryCodeSchema = z.object({
  recoveryCode: z
    .unknown()
    .superRefine((v, ctx) => {
      if (typeof v !== 'string' || v.trim() === '') ctx.addIssue({ code: 'custom', message: 'Enter one of your recovery codes' })
      else if (!normaliseRecoveryCode(v)) ctx.addIssue({ code: 'custom', message: 'A recovery code has 12 letters and numbers, like abcd-efgh-jkmn' })
    })
    .transform((v) => normaliseRecoveryCode(String(v))!),
})
