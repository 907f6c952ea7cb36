/** The import form is multipart (app.ts parses it before the CSRF check): POST /reports/import only. */
export const IMPORT_UPLOAD_PATH = /^\/reports\/import$/

/** 50 MB holds well over 100,000 rows of CSV; bigger files should be split. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024
export const MAX_IMPORT_BODY_BYTES = MAX_IMPORT_BYTES + 1024 * 1024
