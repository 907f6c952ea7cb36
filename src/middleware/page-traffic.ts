import type { NextFunction, Request, Response } from 'express'
import type { PageTraffic } from '../db/page-traffic.js'
import { paths } from '../paths.js'

const REPORTS = paths.reports()

/**
 * Counts the pages in progress on the embedded database, so report work can wait for a quiet
 * moment (src/db/page-traffic.ts). Report pages themselves are not counted: they are the work
 * that gives way. Static files never reach the database and are not counted either.
 */
export function countPages(pages: PageTraffic | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!pages || req.path === REPORTS || req.path.startsWith(`${REPORTS}/`) || req.path.startsWith('/assets/')) return next()
    res.once('close', pages.begin())
    next()
  }
}
