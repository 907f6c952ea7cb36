import { z } from 'zod'
import { normaliseTotpCode } from '../../../domain/mfa.js'
import { PASSWORD_MAX } from '../../../services/passwords.js'

/** The password, and the code when the person has an authenticator. */
export function confirmSchema(needsCode: boolean) {
  return z.object({
    password: z
      .unknown()
      .refine((v) => typeof v === 'string' && v !== '', 'Enter your password')
      .transform((v) => String(v))
      .pipe(z.string().max(PASSWORD_MAX, 'Your password is not correct')),
    code: needsCode
      ? z
          .unknown()
          .superRefine((v, ctx) => {
            if (typeof v !== 'string' || v.trim() === '') ctx.addIssue({ code: 'custom', message: 'Enter the 6-digit code from your authenticator app' })
            else if (!normaliseTotpCode(v)) ctx.addIssue({ code: 'custom', message: 'The code must be 6 digits' })
          })
          .transform((v) => String(v))
      : z.unknown().optional().transform((): string | undefined => undefined),
  })
}
