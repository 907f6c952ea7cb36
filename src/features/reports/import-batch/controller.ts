import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { escapeXml } from '../../../formats/svg-chart.js'
import { ConcurrencyConflict, NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { loggableError } from '../../../log-safe-error.js'
import { paths } from '../../../paths.js'
import { findImportBatch } from '../../../repositories/import-repository.js'
import { signedIn } from '../../../routing.js'
import { audit } from '../../../services/audit.js'
import { discardImport, runImport, type ImportOutcome } from '../../../services/historical-import.js'
import type { RowProblem } from '../../../domain/import/historical-rows.js'
import { CSV_TYPE } from '../../../formats/table-export.js'
import { toCsv } from '../../../formats/csv-writer.js'

/** Batches this large show a progress bar while they import; smaller ones finish before anyone would notice. */
export const PROGRESS_FROM_ROWS = 1000
const SHOWN_PROBLEMS = 200

function renderToString(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? ''))))
}

const STAGE_TEXT = { checking: 'Checking the file again', importing: 'Importing', 'updating-reports': 'Updating the report figures' } as const

function progressStep(stage: keyof typeof STAGE_TEXT, done: number, total: number): string {
  const label = stage === 'importing' ? `Imported ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} records` : `${STAGE_TEXT[stage]}…`
  const value = stage === 'checking' ? 0 : stage === 'importing' ? done : total
  return `<div class="kestrel-progress-step"><p class="govuk-body govuk-!-margin-bottom-1">${escapeXml(label)}</p><progress class="kestrel-progress" max="${Math.max(total, 1)}" value="${value}" aria-label="${escapeXml(label)}">${escapeXml(label)}</progress></div>\n`
}

function outcomeHtml(outcome: ImportOutcome, batchHref: string): string {
  switch (outcome.kind) {
    case 'imported':
      return `<div class="govuk-panel govuk-panel--confirmation"><h2 class="govuk-panel__title">Import complete</h2><div class="govuk-panel__body">${outcome.count.toLocaleString('en-GB')} concerns imported</div></div><p class="govuk-body"><a class="govuk-link" href="${batchHref}">See the import</a> or <a class="govuk-link" href="${paths.reports()}">go to the dashboard</a>.</p>`
    case 'already-finished':
      return `<p class="govuk-body">This import had already finished. <a class="govuk-link" href="${batchHref}">See the import</a>.</p>`
    case 'changed':
      return `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">Nothing was imported</h2><div class="govuk-error-summary__body"><p class="govuk-body">${escapeXml(outcome.message)}</p></div></div></div><p class="govuk-body"><a class="govuk-link" href="${paths.reportImport()}">Check the file again</a>.</p>`
    case 'not-found':
      return '<p class="govuk-body">There is no such import.</p>'
  }
}

export function importBatchController(deps: AppDeps) {
  const db = deps.database.db

  async function load(req: Request) {
    const ctx = signedIn(req)
    const id = req.params.id
    if (!isUuid(id)) throw new NotFound()
    const batch = await findImportBatch(db, ctx.user.organisationId, id)
    if (!batch) throw new NotFound()
    return { ctx, batch, problems: batch.problems as RowProblem[] }
  }

  return {
    async show(req: Request, res: Response) {
      const { batch, problems } = await load(req)
      res.render('reports/import-batch/view.njk', {
        activeNav: 'reports',
        batch,
        problems: problems.slice(0, SHOWN_PROBLEMS),
        moreProblems: Math.max(0, problems.length - SHOWN_PROBLEMS),
        problemsHref: paths.reportImportProblems(batch.id),
      })
    },

    async act(req: Request, res: Response) {
      const { ctx, batch } = await load(req)
      const action = req.body?.action
      const version = Number(req.body?.version)
      const here = paths.reportImportBatch(batch.id)
      if (!Number.isInteger(version) || (action !== 'import' && action !== 'discard')) return res.status(400).render('errors/bad-request.njk')
      if (batch.status !== 'validated') {
        req.session.flash = { kind: 'important', text: 'This import had already finished.' }
        return res.redirect(303, here)
      }
      if (batch.version !== version) throw new ConcurrencyConflict(here)
      if (action === 'discard') {
        if (!(await discardImport(deps, ctx, batch.id, version))) throw new ConcurrencyConflict(here)
        req.session.flash = { kind: 'success', text: 'The import was cancelled. Nothing was imported.' }
        return res.redirect(303, paths.reportImport())
      }
      if (batch.valid_count === 0) return res.redirect(303, here)
      if (batch.valid_count < PROGRESS_FROM_ROWS) {
        const outcome = await runImport(deps, ctx, batch.id, version)
        if (outcome.kind === 'imported') req.session.flash = { kind: 'success', heading: 'Import complete', text: `${outcome.count.toLocaleString('en-GB')} concerns imported.` }
        else if (outcome.kind === 'changed') req.session.flash = { kind: 'important', text: `Nothing was imported. ${outcome.message}` }
        return res.redirect(303, here)
      }
      // Thousands of rows: the page streams a progress bar (no JavaScript needed), then the result.
      const html = await renderToString(res, 'reports/import-batch/progress.njk', { ...res.locals, activeNav: 'reports', batch })
      const [head, tail] = html.split('<!--kestrel-progress-->') as [string, string]
      res.status(200).setHeader('Content-Type', 'text/html; charset=utf-8')
      res.write(head)
      let last = -1
      try {
        const outcome = await runImport(deps, ctx, batch.id, version, (stage, done, total) => {
          const step = stage === 'importing' ? Math.floor((done / Math.max(total, 1)) * 20) : -2
          if (step !== last || stage !== 'importing') res.write(progressStep(stage, done, total))
          last = step
        })
        res.write(`</div>${outcomeHtml(outcome, here)}`)
      } catch (error) {
        deps.logger.error({ requestId: ctx.requestId, err: loggableError(error) }, 'Import failed')
        res.write(`</div>${outcomeHtml({ kind: 'changed', message: 'The import failed and was undone: nothing was imported. Try again, or contact your administrator.' }, here)}`)
      }
      res.end(tail)
    },

    async problems(req: Request, res: Response) {
      const { ctx, batch, problems } = await load(req)
      await db.transaction().execute((tx) => audit(tx, ctx, { action: 'import.problems.download', recordType: 'import_batch', recordId: batch.id, details: { problems: problems.length } }))
      res.setHeader('Content-Type', CSV_TYPE)
      res.setHeader('Content-Disposition', `attachment; filename="kestrel-import-problems-${batch.id.slice(-12)}.csv"`)
      res.send(toCsv([['Row', 'Column', 'Problem'], ...problems.map((p) => [p.row, p.column, p.message])]))
    },
  }
}
