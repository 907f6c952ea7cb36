import busboy from 'busboy'
import type { NextFunction, Request, Response } from 'express'

/** An uploaded file, held in memory (at most the size limit plus one byte, so "too large" is known). */
export interface UploadedFile {
  field: string
  fileName: string
  bytes: Buffer
  truncated: boolean
}

declare module 'express-serve-static-core' {
  interface Request {
    upload?: UploadedFile
  }
}

/**
 * Parses the few multipart forms Kestrel has (document uploads), just before the CSRF check, so
 * the form's `_csrf` field is checked like any other form's. Only for POSTs to the paths given,
 * only for a signed-in session (no one else's upload is read), one file, a handful of small
 * fields. A file over `maxFileBytes` is marked truncated and the rest of it discarded, so the
 * page can say the file is too large; a body far beyond any allowed upload is refused outright.
 */
export function multipartForms(options: { paths: readonly RegExp[]; maxFileBytes: number; maxBodyBytes: number }) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data') || !options.paths.some((p) => p.test(req.path))) return next()
    if (!req.session?.userId) return next()
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > options.maxBodyBytes) return next(Object.assign(new Error('Upload too large'), { type: 'entity.too.large', status: 413 }))

    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: options.maxFileBytes, fields: 20, fieldSize: 20_000, parts: 22, fieldNameSize: 100 } })
    } catch {
      return next(Object.assign(new Error('Malformed multipart body'), { type: 'entity.parse.failed', status: 400 }))
    }
    const fields: Record<string, string> = Object.create(null)
    let upload: UploadedFile | undefined
    let received = 0
    let failed = false
    const fail = (error: Error & { type?: string }) => {
      if (failed) return
      failed = true
      req.unpipe(parser)
      req.resume()
      next(error)
    }
    req.on('data', (chunk: Buffer) => {
      received += chunk.length
      // A body without a length (chunked) is held to the same limit as one that declared it.
      if (received > options.maxBodyBytes) fail(Object.assign(new Error('Upload too large'), { type: 'entity.too.large', status: 413 }))
    })
    parser.on('field', (name, value) => {
      if (name !== '__proto__') fields[name] = value
    })
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = []
      let size = 0
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length
        chunks.push(chunk)
      })
      stream.on('close', () => {
        upload = { field: name, fileName: info.filename ?? '', bytes: Buffer.concat(chunks, size), truncated: stream.truncated === true }
      })
    })
    parser.on('error', () => fail(Object.assign(new Error('Malformed multipart body'), { type: 'entity.parse.failed', status: 400 })))
    parser.on('close', () => {
      if (failed) return
      req.body = fields
      if (upload) req.upload = upload
      next()
    })
    req.pipe(parser)
  }
}
