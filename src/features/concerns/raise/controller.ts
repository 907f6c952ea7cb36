import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { londonDate } from '../../../domain/working-days.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listServices } from '../../../repositories/service-repository.js'
import { signedIn } from '../../../routing.js'
import type { ConcernAnswers } from '../../../services/raise-concern.js'
import { concernFormOptions } from './options.js'
import { formValuesFromAnswers, formValuesFromBody, parseConcernForm } from './schema.js'

export function raiseConcernController(deps: AppDeps) {
  const db = deps.database.db

  async function render(req: Request, res: Response, status: number, values: Record<string, unknown>, errors?: unknown) {
    const ctx = signedIn(req)
    const services = await listServices(db, ctx.user.organisationId, { activeOnly: true })
    res.status(status).render('concerns/raise/view.njk', { activeNav: 'raise', values, errors, ...concernFormOptions(services) })
  }

  return {
    async show(req: Request, res: Response) {
      const ctx = signedIn(req)
      const draft = req.session.concernDraft
      if (!draft) return render(req, res, 200, { serviceId: ctx.user.serviceId ?? '' })
      // Answers checked earlier may no longer pass (say their service stopped being offered
      // since): show what needs changing rather than a form that looks fine and will not send.
      const values = formValuesFromAnswers(draft.answers as ConcernAnswers)
      const services = await listServices(db, ctx.user.organisationId, { activeOnly: true })
      const recheck = parseConcernForm(values, { today: londonDate(ctx.now()), serviceIds: services.map((s) => s.id) })
      await render(req, res, 200, values, recheck.ok ? undefined : recheck.errors)
    },

    async submit(req: Request, res: Response) {
      const ctx = signedIn(req)
      const services = await listServices(db, ctx.user.organisationId, { activeOnly: true })
      const result = parseConcernForm(req.body, { today: londonDate(ctx.now()), serviceIds: services.map((s) => s.id) })
      if (!result.ok) return render(req, res, 400, formValuesFromBody(req.body), result.errors)
      // Keep the submission key across changes of answer: it is what makes a double submit harmless.
      const submissionKey = req.session.concernDraft?.submissionKey ?? newId()
      req.session.concernDraft = { submissionKey, answers: result.answers as unknown as Record<string, unknown> }
      res.redirect(303, paths.checkConcern())
    },
  }
}
