import { MAX_DOCUMENT_BYTES } from '../../../domain/file-types.js'

export { MAX_DOCUMENT_BYTES }

/** The one route that takes multipart bodies: POST /concerns/:id/documents. */
export const UPLOAD_PATH = /^\/concerns\/[0-9a-f-]{36}\/documents$/

/** Bodies beyond this are refused outright; between the file limit and this, the form says the file is too large. */
export const MAX_UPLOAD_BODY_BYTES = 5 * MAX_DOCUMENT_BYTES
