import type { NextFunction, Request, Response } from 'express'
import { randomUUID } from 'node:crypto'
import type { Clock, RequestContext } from '../context.js'

declare module 'express-serve-static-core' {
  interface Request {
    ctx: RequestContext
  }
}

export function requestContext(clock: Clock) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = randomUUID()
    req.ctx = { requestId, ip: req.ip ?? 'unknown', now: () => clock.now() }
    res.setHeader('X-Request-Id', requestId)
    next()
  }
}
