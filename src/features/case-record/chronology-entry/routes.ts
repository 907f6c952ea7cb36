import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase } from '../../../domain/case-record-rules.js'
import { CHRONOLOGY_CATEGORIES, CHRONOLOGY_SUMMARY_MAX } from '../../../domain/chronology-categories.js'
import { isoToParts } from '../../../domain/dates.js'
import { londonDate } from '../../../domain/working-days.js'
import { fieldValue } from '../../../forms.js'
import { NotFound } from '../../../http-errors.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listChronology } from '../../../repositories/chronology-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { addChronologyEntry } from '../../../services/case-chronology.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, submissionKeyFrom } from '../case-page.js'
import { parseEntryForm } from './schema.js'

const FIELDS = ['occurredOn-day', 'occurredOn-month', 'occurredOn-year', 'category', 'summary', 'significant', 'submissionKey']

/** Adding a manual chronology entry, or correcting one (a new entry pointing at the original). */
export function chronologyEntryRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, correcting: string | null, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const { concern, data: entries } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'chronology', form: correcting ? 'correct' : 'new' } }, (tx, c) =>
      correcting ? listChronology(tx, ctx.user.organisationId, c.id) : Promise.resolve([]),
    )
    const original = correcting ? entries.find((e) => e.id === correcting && e.kind === 'manual') : undefined
    if (correcting && !original) throw new NotFound()
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return res.status(req.method === 'GET' ? 200 : 409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, 'chronology'), heading: 'You cannot add to the chronology', reason: permission.reason, returnTo: paths.concernChronology(concern.id) })
    const start = original ? { ...Object.fromEntries(Object.entries(isoToParts(londonDate(original.occurred_at))).map(([k, v]) => [`occurredOn-${k}`, v])), category: original.category, summary: original.summary, significant: original.significant ? 'yes' : '' } : {}
    const v: Record<string, string> = { submissionKey: newId(), ...start, ...values }
    res.status(status).render('case-record/chronology-entry/view.njk', {
      ...caseRecordLocals(concern, ctx, 'chronology'),
      original,
      action: original ? paths.concernChronologyCorrect(concern.id, original.id) : paths.concernChronologyNew(concern.id),
      categoryItems: [{ value: '', text: 'Choose a category' }, ...CHRONOLOGY_CATEGORIES.map((c) => ({ value: c, text: c, selected: v.category === c }))],
      summaryMax: CHRONOLOGY_SUMMARY_MAX,
      values: v,
      errors,
    })
  }

  async function submit(req: Request, res: Response, correcting: string | null) {
    const ctx = signedIn(req)
    const id = param(req, 'id')
    const values = Object.fromEntries(FIELDS.map((k) => [k, fieldValue(req.body, k)]))
    const form = parseEntryForm(req.body, londonDate(ctx.now()))
    if (!form.ok) return render(req, res, 400, correcting, values, form.errors)
    const outcome = await addChronologyEntry(deps, ctx, id, { occurredOn: form.occurredOn, category: form.category, summary: form.summary, significant: form.significant, correctsId: correcting, submissionKey: submissionKeyFrom(req.body, newId) })
    if (outcome.kind === 'done') {
      req.session.flash = { kind: 'success', text: correcting ? 'Your correction has been added to the chronology. The original entry stays.' : 'The entry has been added to the chronology.' }
      return res.redirect(303, paths.concernChronology(id))
    }
    await answerFailure(deps, ctx, res, id, outcome, { tab: 'chronology', heading: 'You cannot add to the chronology', returnTo: paths.concernChronology(id) })
  }

  return [
    { method: 'get', path: paths.concernChronologyNew(':id'), action: 'case:add', handler: (req, res) => render(req, res, 200, null, {}) },
    { method: 'post', path: paths.concernChronologyNew(':id'), action: 'case:add', handler: (req, res) => submit(req, res, null) },
    { method: 'get', path: paths.concernChronologyCorrect(':id', ':entryId'), action: 'case:add', handler: (req, res) => render(req, res, 200, param(req, 'entryId'), {}) },
    { method: 'post', path: paths.concernChronologyCorrect(':id', ':entryId'), action: 'case:add', handler: (req, res) => submit(req, res, param(req, 'entryId')) },
  ]
}
