import { pino, type DestinationStream, type Logger } from 'pino'

/**
 * Logs carry ids, routes and outcomes only. Narrative, names, dates of birth, addresses,
 * passwords and cookies must never reach a log line; the redaction list is a safety net,
 * not permission to log objects wholesale.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kestrel' },
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.body', '*.email', '*.name', '*.what_happened'],
        censor: '[redacted]',
      },
    },
    // Standard output unless a test collects the lines.
    destination ?? pino.destination(1),
  )
}

export type { Logger }
