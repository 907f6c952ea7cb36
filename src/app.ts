import path from 'node:path'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import type { AppDeps } from './context.js'
import { allRoutes } from './features/index.js'
import { refuseBadQuery, refuseInvalidUtf8 } from './middleware/input-encoding.js'
import { csrfProtection } from './middleware/csrf.js'
import { currentUser } from './middleware/current-user.js'
import { errorHandler, notFound } from './middleware/errors.js'
import { requestContext } from './middleware/request-context.js'
import { currentChainKey } from './services/audit-keys.js'
import { noStore, securityHeaders } from './middleware/security-headers.js'
import { sessions } from './middleware/session.js'
import { countPages } from './middleware/page-traffic.js'
import { multipartForms } from './middleware/multipart.js'
import { MAX_DOCUMENT_BYTES, MAX_UPLOAD_BODY_BYTES, UPLOAD_PATH } from './features/case-record/documents/upload.js'
import { IMPORT_UPLOAD_PATH, MAX_IMPORT_BODY_BYTES, MAX_IMPORT_BYTES } from './features/reports/import/upload.js'
import { projectRoot } from './project-root.js'
import { mountRoutes } from './routing.js'
import { setUpViews } from './views.js'
import { healthRoutes } from './features/health/routes.js'

/**
 * Assembles the app from small steps in a fixed, visible order. Nothing here reads the
 * environment or opens connections: everything arrives in `deps`, so tests build the same app.
 */
export function createApp(deps: AppDeps): Express {
  const app = express()
  setUpBasics(app, deps)
  setUpHealth(app, deps)
  setUpRequestContext(app, deps)
  setUpSecurityHeaders(app)
  setUpStaticAssets(app)
  setUpViews(app, { watch: deps.config.env === 'development' })
  setUpBodyParsing(app)
  setUpSessions(app, deps)
  setUpCsrf(app, deps)
  setUpCurrentUser(app, deps)
  setUpPageLocals(app)
  mountRoutes(app, deps, allRoutes(deps))
  app.use(notFound)
  app.use(errorHandler(deps))
  return app
}

function setUpBasics(app: Express, deps: AppDeps) {
  app.disable('x-powered-by')
  app.set('trust proxy', deps.config.trustProxy)
}

/** Health checks come first: no session, no cookies, no personal data. */
function setUpHealth(app: Express, deps: AppDeps) {
  mountRoutes(app, deps, healthRoutes(deps))
}

function setUpRequestContext(app: Express, deps: AppDeps) {
  app.use(requestContext(deps.clock, currentChainKey(deps.config.encryptionKeys)))
  app.use(countPages(deps.database.pages))
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      // Route patterns, not URLs: ids are fine but query strings never reach the log.
      deps.logger.info({ requestId: req.ctx.requestId, method: req.method, route: req.route?.path ?? req.path.split('?')[0], status: res.statusCode, ms: Math.round(ms) }, 'request')
    })
    next()
  })
}

function setUpSecurityHeaders(app: Express) {
  app.use(...securityHeaders())
}

function setUpStaticAssets(app: Express) {
  app.use(
    '/assets',
    express.static(path.join(projectRoot, 'public'), {
      index: false,
      fallthrough: true,
      setHeaders: (res, file) => {
        // Hashed file names never change content; anything else is revalidated.
        res.setHeader('Cache-Control', /-[A-Z0-9]{8,}\.(css|js)$/i.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600')
      },
    }),
  )
}

function setUpBodyParsing(app: Express) {
  app.use(refuseBadQuery)
  app.use(express.urlencoded({ extended: false, limit: '512kb', parameterLimit: 1000, verify: refuseInvalidUtf8 }))
}

function setUpSessions(app: Express, deps: AppDeps) {
  app.use(sessions(deps))
}

function setUpCsrf(app: Express, deps: AppDeps) {
  // Document uploads are multipart: parsed here, so their _csrf field is checked like any form's.
  app.use(multipartForms({ paths: [UPLOAD_PATH], maxFileBytes: MAX_DOCUMENT_BYTES, maxBodyBytes: MAX_UPLOAD_BODY_BYTES }))
  // Historical imports (reports) are multipart too, with their own larger limit.
  app.use(multipartForms({ paths: [IMPORT_UPLOAD_PATH], maxFileBytes: MAX_IMPORT_BYTES, maxBodyBytes: MAX_IMPORT_BODY_BYTES }))
  app.use(csrfProtection({ publicUrl: deps.config.publicUrl }))
}

function setUpCurrentUser(app: Express, deps: AppDeps) {
  app.use(currentUser(deps))
}

function setUpPageLocals(app: Express) {
  app.use(noStore)
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.session?.flash) {
      res.locals.flash = req.session.flash
      delete req.session.flash
    }
    res.locals.currentPath = req.path
    next()
  })
}
