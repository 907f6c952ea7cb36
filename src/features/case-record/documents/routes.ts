import type { Request, Response } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase } from '../../../domain/case-record-rules.js'
import { describeSize, FILE_TYPES, MAX_DOCUMENT_LABEL, safeDownloadName, type FileType } from '../../../domain/file-types.js'
import { fieldValue, formErrors, lineText } from '../../../forms.js'
import { NotFound } from '../../../http-errors.js'
import { newId } from '../../../ids.js'
import { paths } from '../../../paths.js'
import { listDocuments } from '../../../repositories/document-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { downloadDocument, uploadDocument } from '../../../services/case-documents.js'
import { answerFailure, caseRecordLocals, loadCaseRecord, param, problemsToErrors, submissionKeyFrom } from '../case-page.js'

const schema = z.object({ description: lineText({ label: 'The description', max: 200 }) })

/**
 * The Documents tab: upload (multipart, parsed before the CSRF check by middleware/multipart.ts)
 * and download. Files are checked by content, stored in the database under generated ids, and
 * only ever sent back as attachments.
 */
export function documentsRoutes(deps: AppDeps): RouteSpec[] {
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const { concern, data: documents } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'documents' } }, (tx, c) => listDocuments(tx, ctx.user.organisationId, c.id))
    res.status(status).render('case-record/documents/view.njk', {
      ...caseRecordLocals(concern, ctx, 'documents'),
      canAdd: mayAddToCase(ctx.user, concern).allowed,
      documents: documents.map((d) => ({ ...d, typeLabel: FILE_TYPES[d.file_type as FileType]?.label ?? d.file_type, size: describeSize(d.size_bytes) })),
      maxLabel: MAX_DOCUMENT_LABEL,
      values: { submissionKey: newId(), ...values },
      errors,
    })
  }

  return [
    { method: 'get', path: paths.concernDocuments(':id'), action: 'concern:view', handler: (req, res) => render(req, res, 200, {}) },
    {
      method: 'post',
      path: paths.concernDocuments(':id'),
      action: 'case:add',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const id = param(req, 'id')
        const values = { description: fieldValue(req.body, 'description'), submissionKey: fieldValue(req.body, 'submissionKey') }
        const parsed = schema.safeParse(req.body ?? {})
        const upload = req.upload
        const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: [String(i.path[0])], message: i.message }))
        if (!upload || upload.field !== 'file' || (upload.fileName === '' && upload.bytes.length === 0)) issues.unshift({ path: ['file'], message: 'Select a file' })
        if (issues.length || !parsed.success || !upload) return render(req, res, 400, values, formErrors(issues))
        const outcome = await uploadDocument(deps, ctx, id, { fileName: upload.fileName, bytes: upload.bytes, truncated: upload.truncated, description: parsed.data.description, submissionKey: submissionKeyFrom(req.body, newId) })
        if (outcome.kind === 'done') {
          req.session.flash = { kind: 'success', text: 'The document has been added.' }
          return res.redirect(303, paths.concernDocuments(id))
        }
        const invalid = await answerFailure(deps, ctx, res, id, outcome, { tab: 'documents', heading: 'You cannot add a document', returnTo: paths.concernDocuments(id) })
        if (invalid) return render(req, res, 400, values, problemsToErrors(invalid.problems))
      },
    },
    {
      method: 'get',
      path: paths.concernDocumentDownload(':id', ':documentId'),
      action: 'document:download',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const doc = await downloadDocument(deps, ctx, param(req, 'id'), param(req, 'documentId'))
        if (!doc) throw new NotFound()
        const type = doc.file_type as FileType
        const name = safeDownloadName(doc.original_name, type)
        const ascii = name.replace(/[^\x20-\x7e]/g, '_')
        // Always an attachment, never rendered: the type is what the content was checked to be,
        // browsers may not guess another, and the response may not run anything if opened.
        res.setHeader('Content-Type', FILE_TYPES[type]?.mime ?? 'application/octet-stream')
        res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
        res.setHeader('X-Content-Type-Options', 'nosniff')
        res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
        res.setHeader('Content-Length', String(doc.content.length))
        res.end(doc.content)
      },
    },
  ]
}
