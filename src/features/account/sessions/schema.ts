import { z } from 'zod'
import { SESSION_HANDLE_PATTERN } from '../../../domain/own-sessions.js'

/** The one field of a per-session "Sign out" button: the session's handle, never its id. */
export const signOutOneSchema = z.object({
  session: z.string().regex(SESSION_HANDLE_PATTERN),
})
