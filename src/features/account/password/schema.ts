import { z } from 'zod'
import { PASSWORD_MAX, PASSWORD_MIN } from '../../../services/passwords.js'

const text = (message: string) => z.unknown().refine((v) => typeof v === 'string' && v !== '', message).transform((v) => String(v))

export const changePasswordSchema = z
  .object({
    currentPassword: text('Enter your current password'),
    newPassword: text('Enter a new password').pipe(
      z
        .string()
        .min(PASSWORD_MIN, `Your new password must be ${PASSWORD_MIN} characters or more`)
        .max(PASSWORD_MAX, `Your new password must be ${PASSWORD_MAX} characters or less`),
    ),
    confirmPassword: text('Confirm your new password'),
  })
  .superRefine((v, ctx) => {
    if (v.newPassword !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The passwords do not match' })
    if (v.newPassword === v.currentPassword) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'Your new password must be different from your current password' })
  })
