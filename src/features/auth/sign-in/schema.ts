import { z } from 'zod'

export const signInSchema = z.object({
  email: z.unknown().refine((v) => typeof v === 'string' && v.trim() !== '', 'Enter your email address').transform((v) => String(v).trim()),
  password: z.unknown().refine((v) => typeof v === 'string' && v !== '', 'Enter your password').transform((v) => String(v)),
})

export const SIGN_IN_FAILED = 'Enter a correct email address and password'
export const SIGN_IN_THROTTLED = 'There have been too many attempts to sign in with these details. Wait 15 minutes and try again.'
