/**
 * The parts of an error that may be written to a log (or a job's record).
 *
 * PostgreSQL's data exceptions (SQLSTATE class 22: a bad date, number or uuid, a value too long)
 * quote the value that failed in their message, and that value can be a name or a date of birth;
 * the stack's first line repeats the message. For those the message is replaced by the code's
 * meaning. Other errors keep their message: PostgreSQL names tables, columns and constraints
 * there, not values (row values are in `detail`, which is never logged).
 */
export interface LoggableError {
  name?: string
  code?: string
  message: string
  stack?: string
}

const WITHHELD = 'PostgreSQL data exception (its message quotes the value, so it is not logged)'

export function loggableError(error: unknown): LoggableError {
  if (typeof error !== 'object' || error === null) return { message: `thrown ${typeof error}, not an Error` }
  const e = error as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown }
  const name = typeof e.name === 'string' ? e.name : undefined
  const code = typeof e.code === 'string' ? e.code : undefined
  const message = typeof e.message === 'string' ? e.message : ''
  const stack = typeof e.stack === 'string' ? e.stack : undefined
  if (!code || !/^22[0-9A-Z]{3}$/.test(code)) return { name, code, message, stack }
  // The stack is "Name: message" (the message may span lines) then the frames.
  const frames = stack?.split('\n').filter((line) => /^\s+at /.test(line)) ?? []
  return { name, code, message: WITHHELD, stack: stack ? [`${name ?? 'Error'}: ${WITHHELD}`, ...frames].join('\n') : undefined }
}
