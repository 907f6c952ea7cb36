import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase } from '../../../domain/case-record-rules.js'
import { fieldValue, formErrors } from '../../../forms.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listNotes } from '../../../repositories/note-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { addNote } from '../../../services/case-notes.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, submissionKeyFrom } from '../case-page.js'
import { NOTE_MAX, noteSchema } from './schema.js'

/**
 * The Notes tab: append-only notes, newest first, each with its author and time. A correction is
 * a new note that points at the one it corrects; both stay on the record.
 */
export function notesRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const { concern, data: notes } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'notes' } }, (tx, c) => listNotes(tx, ctx.user.organisationId, c.id))
    const byId = new Map(notes.map((n) => [n.id, n]))
    const correctedBy = new Map<string, (typeof notes)[number]>()
    for (const n of notes) if (n.corrects_id) correctedBy.set(n.corrects_id, n)
    res.status(status).render('case-record/notes/view.njk', {
      ...caseRecordLocals(concern, ctx, 'notes'),
      canAdd: mayAddToCase(ctx.user, concern).allowed,
      notes: [...notes].reverse().map((n) => ({ ...n, corrects: n.corrects_id ? byId.get(n.corrects_id) : undefined, correctedBy: correctedBy.get(n.id) })),
      noteMax: NOTE_MAX,
      values: { submissionKey: newId(), ...values },
      errors,
    })
  }

  return [
    { method: 'get', path: paths.concernNotes(':id'), action: 'concern:view', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernNotes(':id'),
      action: 'case:add',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const values = { body: fieldValue(req.body, 'body'), submissionKey: fieldValue(req.body, 'submissionKey') }
        const parsed = noteSchema.safeParse(req.body ?? {})
        if (!parsed.success) return render(req, res, 400, values, formErrors(parsed.error.issues))
        const id = param(req, 'id')
        const outcome = await addNote(deps, ctx, id, { body: parsed.data.body!, correctsId: null, submissionKey: submissionKeyFrom(req.body, newId) })
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'Your note has been added.' }
          return res.redirect(303, paths.concernNotes(id))
        }
        await answerFailure(deps, ctx, res, id, outcome, { tab: 'notes', heading: 'You cannot add a note', returnTo: paths.concernNotes(id) })
      },
    },
  ]
}
