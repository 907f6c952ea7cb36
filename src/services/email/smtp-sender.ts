import nodemailer, { type Transporter } from 'nodemailer'

/** SMTP through nodemailer, from SMTP_URL (smtp://user:pass@host:587 or smtps://…). One transporter per URL. */
const transporters = new Map<string, Transporter>()

function transporterFor(url: string): Transporter {
  let t = transporters.get(url)
  if (!t) {
    t = nodemailer.createTransport(url)
    transporters.set(url, t)
  }
  return t
}

export async function sendSmtpEmail(url: string, email: { from: string; to: string; subject: string; text: string; reference: string }): Promise<string> {
  const info = await transporterFor(url).sendMail({ from: email.from, to: email.to, subject: email.subject, text: email.text, headers: { 'X-Kestrel-Reference': email.reference } })
  return String(info.messageId ?? '')
}

/** Closes pooled connections (at shutdown and in tests). */
export function closeSmtpTransports(): void {
  for (const t of transporters.values()) t.close()
  transporters.clear()
}
