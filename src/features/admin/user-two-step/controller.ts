import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { NotFound } from '../../../http-errors.js'
import { isUuid } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { countUnusedRecoveryCodes, findMfa } from '../../../repositories/mfa-repository.js'
import { findUser } from '../../../repositories/user-repository.js'
import { signedIn } from '../../../routing.js'
import { resetUserMfa } from '../../../services/mfa-admin.js'

export function userTwoStepController(deps: AppDeps) {
  const db = deps.database.db

  /** Another organisation's account, or no account, is simply not found. */
  async function load(req: Request) {
    const ctx = signedIn(req)
    const id = req.params.id
    if (!isUuid(id)) throw new NotFound()
    const account = await findUser(db, ctx.user.organisationId, id)
    if (!account) throw new NotFound()
    return { ctx, account }
  }

  return {
    async show(req: Request, res: Response) {
      const { ctx, account } = await load(req)
      const mfa = await findMfa(db, ctx.user.organisationId, account.id)
      const recoveryCodesLeft = mfa?.enabled_at ? await countUnusedRecoveryCodes(db, ctx.user.organisationId, account.id) : 0
      res.render('admin/user-two-step/view.njk', { activeNav: 'users', account, enrolledAt: mfa?.enabled_at ?? null, recoveryCodesLeft })
    },

    async reset(req: Request, res: Response) {
      const { ctx, account } = await load(req)
      const result = await resetUserMfa(deps, ctx, account.id)
      if (result === 'not_found') throw new NotFound()
      req.session.flash =
        result === 'reset'
          ? { kind: 'success', text: `${account.display_name}’s two-step verification has been reset and they have been signed out. They will set it up again when they next sign in.` }
          : { kind: 'important', text: `${account.display_name} does not have two-step verification set up: there was nothing to reset.` }
      res.redirect(303, paths.adminUserMfa(account.id))
    },
  }
}
