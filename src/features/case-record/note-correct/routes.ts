import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase } from '../../../domain/case-record-rules.js'
import { fieldValue, formErrors } from '../../../forms.js'
import { NotFound } from '../../../http-errors.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { findNote } from '../../../repositories/note-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { addNote } from '../../../services/case-notes.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, submissionKeyFrom } from '../case-page.js'
import { NOTE_MAX, noteSchema } from '../notes/schema.js'

/** Correcting a note: a new note pointing at the original, which stays as it was. */
export function noteCorrectRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const noteId = param(req, 'noteId')
    const { concern, data: note } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'notes', note_id: noteId } }, (tx, c) => findNote(tx, ctx.user.organisationId, c.id, noteId))
    if (!note) throw new NotFound()
    const permission = mayAddToCase(ctx.user, concern)
    if (!permission.allowed) return res.status(req.method === 'GET' ? 200 : 409).render('case-record/not-allowed.njk', { ...caseRecordLocals(concern, ctx, 'notes'), heading: 'You cannot correct this note', reason: permission.reason, returnTo: paths.concernNotes(concern.id) })
    res.status(status).render('case-record/note-correct/view.njk', { ...caseRecordLocals(concern, ctx, 'notes'), note, noteMax: NOTE_MAX, values: { submissionKey: newId(), body: note.body, ...values }, errors })
  }

  return [
    { method: 'get', path: paths.concernNoteCorrect(':id', ':noteId'), action: 'case:add', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernNoteCorrect(':id', ':noteId'),
      action: 'case:add',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const noteId = param(req, 'noteId')
        const values = { body: fieldValue(req.body, 'body'), submissionKey: fieldValue(req.body, 'submissionKey') }
        const parsed = noteSchema.safeParse(req.body ?? {})
        if (!parsed.success) return render(req, res, 400, values, formErrors(parsed.error.issues))
        const id = param(req, 'id')
        const outcome = await addNote(deps, ctx, id, { body: parsed.data.body!, correctsId: noteId, submissionKey: submissionKeyFrom(req.body, newId) })
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'Your correction has been added. The original note stays on the record.' }
          return res.redirect(303, paths.concernNotes(id))
        }
        await answerFailure(deps, ctx, res, id, outcome, { tab: 'notes', heading: 'You cannot correct this note', returnTo: paths.concernNotes(id) })
      },
    },
  ]
}
