import type { NextFunction, Request, Response } from 'express'
import { randomUUID } from 'node:crypto'
import type { Clock, RequestContext } from '../context.js'
import type { ChainKey } from '../domain/audit-hash.js'

declare module 'express-serve-static-core' {
  interface Request {
    ctx: RequestContext
  }
}

export function requestContext(clock: Clock, chainKey: ChainKey | null) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = randomUUID()
    req.ctx = { requestId, ip: req.ip ?? 'unknown', now: () => clock.now(), chainKey }
    res.setHeader('X-Request-Id', requestId)
    next()
  }
}
