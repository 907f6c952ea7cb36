import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { findConcernBySubmissionKey } from '../../../repositories/concern-repository.js'
import { findService, listServices } from '../../../repositories/service-repository.js'
import { signedIn } from '../../../routing.js'
import { raiseConcern, type ConcernAnswers } from '../../../services/raise-concern.js'
import { londonDate } from '../../../domain/working-days.js'
import { parseConcernForm, formValuesFromAnswers } from '../raise/schema.js'
import { answerRows } from './answer-rows.js'

export function checkConcernController(deps: AppDeps) {
  const db = deps.database.db
  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const draft = req.session.concernDraft
      if (!draft) {
        const last = req.session.lastSubmittedConcernId
        return res.redirect(303, last ? paths.concernConfirmation(last) : paths.raiseConcern())
      }
      const answers = draft.answers as unknown as ConcernAnswers
      const service = await findService(db, ctx.user.organisationId, answers.serviceId)
      res.render('concerns/check/view.njk', { activeNav: 'raise', rows: answerRows(answers, service?.name ?? '', paths.raiseConcern()), answers, submissionKey: draft.submissionKey })
    },

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const key = (req.body as Record<string, unknown>)?.submissionKey
      if (!isUuid(key)) return res.redirect(303, paths.raiseConcern())

      // Sent already (double click, or back and send again): show that concern, create nothing.
      const existing = await findConcernBySubmissionKey(db, ctx.user.organisationId, key)
      if (existing && existing.referrer_user_id === ctx.user.id) return res.redirect(303, paths.concernConfirmation(existing.id))

      const draft = req.session.concernDraft
      if (!draft || draft.submissionKey !== key) {
        req.session.flash = { text: 'Your answers were not found, so nothing was sent. Please fill in the form again.' }
        return res.redirect(303, paths.raiseConcern())
      }
      // Validate again: services or the date may have changed since the answers were checked.
      const services = await listServices(db, ctx.user.organisationId, { activeOnly: true })
      const recheck = parseConcernForm(
        { ...formValuesFromAnswers(draft.answers as unknown as ConcernAnswers) },
        { today: londonDate(ctx.now()), serviceIds: services.map((s) => s.id) },
      )
      if (!recheck.ok) return res.redirect(303, paths.raiseConcern())

      const result = await raiseConcern(deps, ctx, recheck.answers, key)
      delete req.session.concernDraft
      req.session.lastSubmittedConcernId = result.id
      res.redirect(303, paths.concernConfirmation(result.id))
    },
  }
}
