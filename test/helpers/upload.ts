import { load } from 'cheerio'
import type { Page, TestClient } from './client.js'

/**
 * Posts a multipart form with one file, as a browser's file upload does, with the client's
 * cookies and the CSRF token from the last page it loaded.
 */
export async function uploadFile(client: TestClient, path: string, file: { name: string; bytes: Buffer | Uint8Array; type?: string }, fields: Record<string, string> = {}): Promise<Page> {
  const form = new FormData()
  if (client.lastCsrfToken) form.set('_csrf', client.lastCsrfToken)
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  form.set('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name)
  const response = await fetch(new URL(path, client.baseUrl), { method: 'POST', body: form, headers: { cookie: client.cookieHeader() }, redirect: 'manual' })
  const text = await response.text()
  const $ = load(text)
  const token = $('input[name="_csrf"]').first().attr('value')
  if (token) client.lastCsrfToken = token
  return { status: response.status, headers: response.headers, text, $, location: response.headers.get('location'), url: path }
}
