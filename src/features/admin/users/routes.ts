import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { BadRequest } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { listUsers } from '../../../repositories/user-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'

export function usersRoutes(deps: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: paths.adminUsers(),
      action: 'admin:users',
      handler: async (req: Request, res: Response) => {
        const ctx = signedIn(req)
        const q = req.query.q
        if (q !== undefined && (typeof q !== 'string' || q.length > 100)) throw new BadRequest('Invalid search')
        const search = typeof q === 'string' ? q.trim() : ''
        const users = await listUsers(deps.database.db, ctx.user.organisationId, { search: search || undefined })
        res.render('admin/users/view.njk', { activeNav: 'users', users, search })
      },
    },
  ]
}
