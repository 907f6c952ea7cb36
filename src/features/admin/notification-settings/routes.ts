import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import type { EmailDelivery } from '../../../db/schema.js'
import { GENERAL_TEMPLATE, kindsWithoutTemplate } from '../../../domain/notify-templates.js'
import { fieldValue, formErrors } from '../../../forms.js'
import { ConcurrencyConflict } from '../../../http-errors.js'
import { paths } from '../../../paths.js'
import { findNotificationSettings } from '../../../repositories/notification-settings-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { parseNotifyApiKey } from '../../../services/email/notify-client.js'
import { EMAIL_KIND_LABELS, EMAIL_KINDS } from '../../../services/notification-messages.js'
import { canSaveNotifyApiKey, NOTIFY_KEY_NEEDS_ENCRYPTION, updateNotificationSettings } from '../../../services/notification-settings.js'
import { versionFrom } from '../../concerns/triage-page.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Form field names: one per kind of email, then the general template that covers any kind without one. */
const TEMPLATE_KEYS = [...EMAIL_KINDS, GENERAL_TEMPLATE] as const
const templateField = (key: string) => `template_${key}`
const GENERAL_LABEL = 'any email without its own template'

const DELIVERIES: { value: EmailDelivery; text: string; hint: string }[] = [
  { value: 'outbox', text: 'Keep emails in Kestrel’s outbox', hint: 'Nothing is sent. For trials and the demo.' },
  { value: 'smtp', text: 'Send by SMTP', hint: 'Through the mail server set in SMTP_URL when Kestrel starts.' },
  { value: 'notify', text: 'Send with GOV.UK Notify', hint: 'With your service’s API key, and a general template or one for each kind of email.' },
]

/** How this organisation's emails are sent: kept, SMTP, or GOV.UK Notify (API key and template ids). */
export function notificationSettingsRoutes(deps: AppDeps): RouteSpec[] {
  const db = deps.database.db
  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors?: unknown) {
    const ctx = signedIn(req)
    const settings = await findNotificationSettings(db, ctx.user.organisationId)
    const smtp = deps.config.email.smtpUrl ? new URL(deps.config.email.smtpUrl) : null
    res.status(status).render('admin/notification-settings/view.njk', {
      activeNav: 'emails',
      deliveryItems: DELIVERIES.map((d) => ({ value: d.value, text: d.text, hint: { text: d.hint }, checked: values.emailDelivery === d.value })),
      generalField: { name: templateField(GENERAL_TEMPLATE), label: GENERAL_LABEL, value: values[templateField(GENERAL_TEMPLATE)] ?? '' },
      templateFields: EMAIL_KINDS.map((k) => ({ name: templateField(k), label: EMAIL_KIND_LABELS[k], value: values[templateField(k)] ?? '' })),
      // Saved settings that leave a kind uncovered (for example a kind added by an upgrade): its emails wait in the outbox.
      uncovered: settings.emailDelivery === 'notify' ? kindsWithoutTemplate(settings.notifyTemplates, EMAIL_KINDS).map((k) => EMAIL_KIND_LABELS[k]) : [],
      smtpHost: smtp ? `${smtp.hostname}:${smtp.port || (smtp.protocol === 'smtps:' ? '465' : '587')}` : null,
      keySaved: settings.notifyApiKey !== null,
      values,
      errors,
    })
  }
  return [
    {
      method: 'get',
      path: paths.adminNotificationSettings(),
      action: 'admin:notification-settings',
      handler: async (req, res) => {
        const s = await findNotificationSettings(db, signedIn(req).user.organisationId)
        await render(req, res, 200, { emailDelivery: s.emailDelivery, version: String(s.version), ...Object.fromEntries(TEMPLATE_KEYS.map((k) => [templateField(k), s.notifyTemplates[k] ?? ''])) })
      },
    },
    {
      method: 'post',
      path: paths.adminNotificationSettings(),
      action: 'admin:notification-settings',
      handler: async (req, res) => {
        const ctx = signedIn(req)
        const current = await findNotificationSettings(db, ctx.user.organisationId)
        const values: Record<string, string> = { emailDelivery: fieldValue(req.body, 'emailDelivery'), version: fieldValue(req.body, 'version') }
        for (const k of TEMPLATE_KEYS) values[templateField(k)] = fieldValue(req.body, templateField(k)).trim()
        const apiKey = fieldValue(req.body, 'notifyApiKey').trim()
        const issues: { path: string[]; message: string }[] = []
        if (!DELIVERIES.some((d) => d.value === values.emailDelivery)) issues.push({ path: ['emailDelivery'], message: 'Select how emails are sent' })
        if (values.emailDelivery === 'smtp' && !deps.config.email.smtpUrl) issues.push({ path: ['emailDelivery'], message: 'SMTP is not set up: set SMTP_URL and restart Kestrel, or choose another way' })
        if (apiKey && !parseNotifyApiKey(apiKey)) issues.push({ path: ['notifyApiKey'], message: 'Enter the whole API key from GOV.UK Notify, like name-xxxxxxxx-…-xxxxxxxx' })
        // The key is kept sealed; without an encryption key it is refused rather than stored in plain text.
        else if (apiKey && !canSaveNotifyApiKey(deps.config)) issues.push({ path: ['notifyApiKey'], message: NOTIFY_KEY_NEEDS_ENCRYPTION })
        for (const k of TEMPLATE_KEYS) {
          const id = values[templateField(k)]!
          const label = k === GENERAL_TEMPLATE ? GENERAL_LABEL : EMAIL_KIND_LABELS[k]
          if (id && !UUID.test(id)) issues.push({ path: [templateField(k)], message: `The template id for “${label}” must be a GOV.UK Notify template id (a UUID)` })
        }
        if (values.emailDelivery === 'notify') {
          if (!apiKey && !current.notifyApiKey) issues.push({ path: ['notifyApiKey'], message: 'Enter the GOV.UK Notify API key' })
          const entered = Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, values[templateField(k)]!]))
          const missing = kindsWithoutTemplate(entered, EMAIL_KINDS)
          if (missing.length) issues.push({ path: [templateField(GENERAL_TEMPLATE)], message: `Enter a general template id, or a template id for each kind of email (missing: ${missing.map((k) => EMAIL_KIND_LABELS[k]).join(', ')})` })
        }
        if (issues.length) return render(req, res, 400, values, formErrors(issues, { emailDelivery: '#emailDelivery' }))
        const templates = Object.fromEntries(TEMPLATE_KEYS.filter((k) => values[templateField(k)]).map((k) => [k, values[templateField(k)]!]))
        const saved = await updateNotificationSettings(deps, ctx, versionFrom(req.body), { emailDelivery: values.emailDelivery as EmailDelivery, newApiKey: apiKey || null, notifyTemplates: templates })
        if (!saved) throw new ConcurrencyConflict(paths.adminNotificationSettings())
        req.session.flash = { kind: 'success', text: 'Email settings saved.' }
        res.redirect(303, paths.adminNotificationSettings())
      },
    },
  ]
}
