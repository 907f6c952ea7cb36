import { createHmac } from 'node:crypto'

/**
 * A small GOV.UK Notify client: POST /v2/notifications/email with a JWT (HS256) whose issuer is
 * the service id, signed with the API key's secret. An API key is `{key_name}-{service_id}-{secret_key}`,
 * where the service id and the secret are UUIDs (so they are the last 73 characters).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class NotifyError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message)
  }
}

export function parseNotifyApiKey(apiKey: string): { serviceId: string; secret: string } | undefined {
  const key = apiKey.trim()
  if (key.length < 74) return undefined
  const serviceId = key.slice(-73, -37)
  const secret = key.slice(-36)
  if (key[key.length - 37] !== '-' || key[key.length - 74] !== '-' || !UUID.test(serviceId) || !UUID.test(secret)) return undefined
  return { serviceId, secret }
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url')

export function notifyJwt(serviceId: string, secret: string, now: Date): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))
  const payload = base64url(JSON.stringify({ iss: serviceId, iat: Math.floor(now.getTime() / 1000) }))
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}

export interface NotifyEmail {
  baseUrl: string
  apiKey: string
  templateId: string
  emailAddress: string
  personalisation: Record<string, string>
  /** Our id for the message, so Notify's records can be matched to the outbox. */
  reference: string
  now: Date
}

/** Sends one email; resolves with Notify's notification id or throws NotifyError. */
export async function sendNotifyEmail(email: NotifyEmail): Promise<string> {
  const key = parseNotifyApiKey(email.apiKey)
  if (!key) throw new NotifyError('The GOV.UK Notify API key is not in the expected form', null)
  let response: Response
  try {
    response = await fetch(`${email.baseUrl}/v2/notifications/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${notifyJwt(key.serviceId, key.secret, email.now)}`, 'user-agent': 'kestrel-notify-client' },
      body: JSON.stringify({ email_address: email.emailAddress, template_id: email.templateId, personalisation: email.personalisation, reference: email.reference }),
      signal: AbortSignal.timeout(15_000),
    })
  } catch (error) {
    throw new NotifyError(`GOV.UK Notify could not be reached (${(error as Error).name})`, null)
  }
  const text = await response.text()
  if (response.status !== 201) {
    let detail = ''
    try {
      const parsed = JSON.parse(text) as { errors?: { error?: string; message?: string }[] }
      detail = (parsed.errors ?? []).map((e) => `${e.error}: ${e.message}`).join('; ')
    } catch {
      detail = 'no error details'
    }
    throw new NotifyError(`GOV.UK Notify refused the email (${response.status}: ${detail})`, response.status)
  }
  const body = JSON.parse(text) as { id?: string }
  return body.id ?? ''
}
