import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase } from '../../../domain/case-record-rules.js'
import { paths } from '../../../paths.js'
import { listChronology } from '../../../repositories/chronology-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { caseRecordLocals, loadCaseRecord } from '../case-page.js'
import { timelineItems } from './timeline.js'

/** The Chronology tab: significant events as an MOJ timeline, newest first, with manual entries and corrections. */
export function chronologyRoutes(deps: AppDeps): RouteSpec[] {
  async function show(req: Request, res: Response) {
    const ctx = signedIn(req)
    const significantOnly = req.query.show === 'significant'
    const { concern, data: entries } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'chronology' } }, (tx, c) => listChronology(tx, ctx.user.organisationId, c.id))
    res.render('case-record/chronology/view.njk', {
      ...caseRecordLocals(concern, ctx, 'chronology'),
      canAdd: mayAddToCase(ctx.user, concern).allowed,
      significantOnly,
      total: entries.length,
      items: timelineItems(entries, { significantOnly }),
    })
  }
  return [{ method: 'get', path: paths.concernChronology(':id'), action: 'concern:view', handler: show }]
}
