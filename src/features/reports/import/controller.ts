import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { IMPORT_COLUMNS } from '../../../domain/import/import-columns.js'
import { singleError } from '../../../forms.js'
import { paths } from '../../../paths.js'
import { listImportBatches } from '../../../repositories/import-repository.js'
import { signedIn } from '../../../routing.js'
import { checkUpload } from '../../../services/historical-import.js'
import { withQuery } from '../period-params.js'
import { MAX_IMPORT_BYTES } from './upload.js'

const STATUS_TEXT = { validated: 'Checked, not imported', imported: 'Imported', discarded: 'Cancelled' } as const

/** The import page: how to prepare the file, the upload, and recent imports. */
export function importController(deps: AppDeps) {
  const db = deps.database.db
  async function render(req: Request, res: Response, status: number, errors?: unknown) {
    const ctx = signedIn(req)
    const batches = await listImportBatches(db, ctx.user.organisationId)
    res.status(status).render('reports/import/view.njk', {
      activeNav: 'reports',
      columns: IMPORT_COLUMNS,
      batches: batches.map((b) => ({ ...b, statusText: STATUS_TEXT[b.status] })),
      templates: { csv: withQuery(paths.reportImportTemplate(), { format: 'csv' }), xlsx: withQuery(paths.reportImportTemplate(), { format: 'xlsx' }) },
      maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024,
      errors,
    })
  }
  return {
    show: (req: Request, res: Response) => render(req, res, 200),

    async upload(req: Request, res: Response) {
      const ctx = signedIn(req)
      const file = req.upload
      if (!file || file.field !== 'file' || file.bytes.length === 0 && !file.fileName) return render(req, res, 400, singleError('file', 'Select a CSV or XLSX file to import'))
      if (file.truncated) return render(req, res, 400, singleError('file', `The file must be smaller than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files`))
      const result = await checkUpload(deps, ctx, { fileName: file.fileName, bytes: file.bytes })
      if (!result.ok) return render(req, res, 400, singleError('file', `${result.message}.`))
      res.redirect(303, paths.reportImportBatch(result.batchId))
    },
  }
}
