import { z } from 'zod'
import { normaliseTotpCode } from '../../../domain/mfa.js'

export const CODE_WRONG = 'The code is not correct. Enter the code your authenticator app shows now'
export const CODE_REUSED = 'That code has already been used. Wait for your authenticator app to show a new code, then enter it'

/** The 6-digit code from an authenticator app; spaces as apps display them are allowed. */
export const totpCodeSchema = z.object({
  code: z
    .unknown()
    .superRefine((v, ctx) => {
      if (typeof v !== 'string' || v.trim() === '') ctx.addIssue({ code: 'custom', message: 'Enter the 6-digit code from your authenticator app' })
      else if (!normaliseTotpCode(v)) ctx.addIssue({ code: 'custom', message: 'The code must be 6 digits' })
    })
    .transform((v) => normaliseTotpCode(String(v))!),
})
