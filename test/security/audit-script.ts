import { newId } from '../../src/ids.js'
import { londonDate } from '../../src/domain/working-days.js'
import type { Page, TestClient } from '../helpers/client.js'
import { completeConcernForm } from '../helpers/concern-form.js'
import { enrolAuthenticator } from '../helpers/mfa.js'
import { minimalPdf } from '../helpers/sample-files.js'
import { totpAt } from '../helpers/totp.js'
import { uploadFile } from '../helpers/upload.js'
import { markReadyForClosure } from '../../src/services/closure.js'
import { recordOutcome } from '../../src/services/onward-referrals.js'
import { createMeeting, recordReview } from '../../src/services/case-review.js'
import { proposeDisposal } from '../../src/services/disposal.js'
import { addPerson } from './support/case-records.js'
import { fillForm, formsOn, todayParts } from './support/page-forms.js'
import type { World } from './support/world.js'

/**
 * THE EXPECTED AUDIT TRAIL, in one place: for every route, the audit events one successful use
 * writes — exactly these, in this order, no more — and, where a careful person filling in the
 * page's own form is not enough, how to use it. The steps run in this order as one scripted
 * session (test/security/audit-trail.test.ts). A new route without a step fails that test:
 * adding a feature means adding its events here.
 *
 * Reads of case data are audited (views, lists, prints, downloads); sign-in attempts are;
 * pages that show no case data (forms, settings, the sign-in page) write nothing.
 */
export interface AuditStep {
  /** "METHOD /path/pattern", as in the route table. */
  route: string
  events: string[]
  /** A persona label (default: the first role the policy lets in), or "signed out". */
  as?: string
  /** Which of the persona's records to use: a word from the fixture's kind or state. */
  record?: string
  /** Use a record of another persona's (the case they lead, say) instead of this persona's own. */
  recordOf?: string
  /** Values the form needs beyond what a careful person would type. */
  fields?: (w: World) => Record<string, string | string[]> | Promise<Record<string, string | string[]>>
  /** Text fields to leave empty rather than fill in (optional settings). */
  leaveEmpty?: RegExp
  /** The page the form is on, when it is neither the route's own page nor one above it. */
  formOn?: (path: string) => string
  /** Does the whole thing itself (setting up what it needs first) and returns the acting response. */
  perform?: (s: StepContext) => Promise<Page>
  /** The status that means it worked (default 200 for GET, 303 for POST). */
  ok?: number
}

export interface StepContext {
  world: World
  client: TestClient
  /** The route's path filled in with the chosen record. */
  path: string
  /** Wraps the one request whose audit rows the step is about (the runner measures around it). */
  act(request: () => Promise<Page>): Promise<Page>
}

const today = (w: World) => londonDate(w.app.clock.now())
const [y, m, d] = ['year', 'month', 'day']
const dateFields = (prefix: string, iso: string) => {
  const [yy, mm, dd] = iso.split('-').map(Number)
  return { [`${prefix}-${d}`]: String(dd), [`${prefix}-${m}`]: String(mm), [`${prefix}-${y}`]: String(yy) }
}
const inDays = (w: World, days: number) => londonDate(new Date(w.app.clock.now().getTime() + days * 86_400_000))

/** Signs a new browser in as someone with an authenticator, up to the code step. */
async function passwordStep(s: StepContext, user: { email: string; password: string }): Promise<TestClient> {
  const client = s.world.app.client()
  await client.get('/sign-in')
  const first = await client.post('/sign-in', { email: user.email, password: user.password })
  if (first.location !== '/sign-in/code') throw new Error(`expected the code step, got ${first.status} ${first.location}`)
  return client
}

/** Signs a new browser fully in as someone with an authenticator: the password, then a code. */
async function signedInWithCode(s: StepContext) {
  const a = await userWithAuthenticator(s)
  const client = await passwordStep(s, a)
  await client.get('/sign-in/code')
  s.world.app.clock.advance(30_000)
  await client.post('/sign-in/code', { code: totpAt(a.secret, s.world.app.clock.now()) })
  return { a, client }
}

let authenticator: { email: string; password: string; secret: string; recoveryCodes: string[] } | undefined
async function userWithAuthenticator(s: StepContext) {
  if (authenticator) return authenticator
  const user = await s.world.app.factories.user(s.world.org, [], { name: 'Authenticator User' })
  const client = await s.world.app.signedIn(user)
  authenticator = { ...user, ...(await enrolAuthenticator(s.world.app, client)) }
  return authenticator
}

export const AUDIT_STEPS: AuditStep[] = [
  // Health checks, signing in and out, and one's own account.
  { route: 'GET /health', as: 'signed out', events: [] },
  { route: 'GET /ready', as: 'signed out', events: [] },
  { route: 'GET /sign-in', as: 'signed out', events: [] },
  {
    route: 'POST /sign-in',
    as: 'signed out',
    events: ['auth.sign-in'],
    perform: async ({ world, act }) => {
      const client = world.app.client()
      await client.get('/sign-in')
      const user = world.persona('staff').user
      return act(() => client.post('/sign-in', { email: user.email, password: user.password }))
    },
  },
  {
    route: 'GET /sign-in/code',
    as: 'signed out',
    events: [],
    perform: async (s) => {
      const client = await passwordStep(s, await userWithAuthenticator(s))
      return s.act(() => client.get('/sign-in/code'))
    },
  },
  {
    route: 'POST /sign-in/code',
    as: 'signed out',
    events: ['auth.mfa-code'],
    perform: async (s) => {
      const a = await userWithAuthenticator(s)
      const client = await passwordStep(s, a)
      await client.get('/sign-in/code')
      s.world.app.clock.advance(30_000)
      return s.act(() => client.post('/sign-in/code', { code: totpAt(a.secret, s.world.app.clock.now()) }))
    },
  },
  {
    route: 'GET /sign-in/recovery-code',
    as: 'signed out',
    events: [],
    perform: async (s) => {
      const client = await passwordStep(s, await userWithAuthenticator(s))
      return s.act(() => client.get('/sign-in/recovery-code'))
    },
  },
  {
    route: 'POST /sign-in/recovery-code',
    as: 'signed out',
    events: ['auth.mfa-code'],
    perform: async (s) => {
      const a = await userWithAuthenticator(s)
      const client = await passwordStep(s, a)
      await client.get('/sign-in/recovery-code')
      return s.act(() => client.post('/sign-in/recovery-code', { recoveryCode: a.recoveryCodes.shift()! }))
    },
  },
  { route: 'GET /account/password', events: [] },
  {
    route: 'POST /account/password',
    events: ['auth.password-change'],
    perform: async ({ world, act }) => {
      const user = await world.app.factories.user(world.org)
      const client = await world.app.signedIn(user)
      await client.get('/account/password')
      return act(() => client.post('/account/password', { currentPassword: user.password, newPassword: 'a brand new long password', confirmPassword: 'a brand new long password' }))
    },
  },
  { route: 'GET /account/two-step-verification', events: [] },
  { route: 'GET /account/two-step-verification/set-up', events: ['auth.mfa-setup-start'] },
  {
    route: 'POST /account/two-step-verification/set-up',
    events: ['auth.mfa-enrol'],
    ok: 200,
    perform: async ({ world, act }) => {
      const user = await world.app.factories.user(world.org)
      const client = await world.app.signedIn(user)
      const page = await client.get('/account/two-step-verification/set-up')
      const secret = page.$('#setup-key').text().replace(/\s/g, '')
      return act(() => client.post('/account/two-step-verification/set-up', { code: totpAt(secret, world.app.clock.now()) }))
    },
  },
  {
    route: 'POST /account/two-step-verification/recovery-codes',
    events: ['auth.mfa-recovery-codes'],
    ok: 200,
    perform: async (s) => {
      const { a, client } = await signedInWithCode(s)
      await client.get('/account/two-step-verification')
      s.world.app.clock.advance(30_000) // a code is accepted once: the next one
      return s.act(() => client.post('/account/two-step-verification/recovery-codes', { code: totpAt(a.secret, s.world.app.clock.now()) }))
    },
  },
  // "Confirm it's you" before a sensitive action: the password, and with an authenticator the code
  // (checked as at sign-in), each audited.
  { route: 'GET /account/confirm', events: [] },
  {
    route: 'POST /account/confirm',
    events: ['auth.mfa-code', 'auth.confirm'],
    perform: async (s) => {
      const { a, client } = await signedInWithCode(s)
      await client.get('/account/confirm')
      s.world.app.clock.advance(30_000) // a code is accepted once: the next one
      return s.act(() => client.post('/account/confirm', { password: a.password, code: totpAt(a.secret, s.world.app.clock.now()) }))
    },
  },
  // One's own sessions: the list is not case data; every sign-out is audited.
  { route: 'GET /account/sessions', events: [] },
  {
    route: 'POST /account/sessions/sign-out-others',
    events: ['session.sign-out-others'],
    perform: async ({ world, act }) => {
      const user = await world.app.factories.user(world.org)
      await world.app.signedIn(user)
      const client = await world.app.signedIn(user)
      await client.get('/account/sessions')
      return act(() => client.post('/account/sessions/sign-out-others'))
    },
  },
  {
    route: 'POST /account/sessions/sign-out',
    events: ['session.sign-out-other'],
    perform: async ({ world, act }) => {
      const user = await world.app.factories.user(world.org)
      await world.app.signedIn(user)
      const client = await world.app.signedIn(user)
      const page = await client.get('/account/sessions')
      const session = page.$('input[name="session"]').attr('value')
      if (!session) throw new Error('no other session listed')
      return act(() => client.post('/account/sessions/sign-out', { session }))
    },
  },

  // Raising a concern, and the referrer's own view of it.
  { route: 'GET /', events: [] },
  { route: 'GET /concerns/new', events: [] },
  { route: 'POST /concerns/new', events: [], fields: (w) => completeConcernForm(w.org) },
  { route: 'GET /concerns/new/check', events: [] },
  { route: 'POST /concerns/new/check', events: ['concern.create'], fields: () => ({}) },
  { route: 'GET /concerns/:id/confirmation', record: 'own', events: ['concern.view-own'] },
  { route: 'GET /my-concerns', events: ['concern.list-own'] },
  { route: 'GET /my-concerns/:id', record: 'own', events: ['concern.view-own'] },
  { route: 'GET /notifications', events: [] },
  { route: 'POST /notifications/read', events: ['notification.read-all'] },

  // Triage.
  { route: 'GET /queue', events: ['concern.list'] },
  { route: 'GET /concerns/:id', events: ['concern.view'] },
  { route: 'GET /concerns/:id/viewers', events: ['concern.viewers'] },
  { route: 'GET /concerns/:id/allocate', as: 'safeguarding_manager', record: 'submitted', events: ['concern.view'] },
  { route: 'POST /concerns/:id/allocate', as: 'safeguarding_manager', record: 'submitted', events: ['concern.view', 'concern.allocate'], fields: (w) => ({ leadId: w.keeper.id, secondId: w.secondDso.id }) },
  { route: 'POST /concerns/:id/agreement', as: 'dso', record: 'Second DSO', events: ['concern.view', 'concern.second-agree'] },
  { route: 'GET /concerns/:id/decision', as: 'dso', record: 'no decision', events: ['concern.view'] },
  { route: 'POST /concerns/:id/decision', as: 'dso', record: 'no decision', events: ['concern.view', 'concern.decide'] },
  { route: 'GET /concerns/:id/referrals', events: ['concern.view'] },
  { route: 'GET /concerns/:id/referrals/new', as: 'dso', record: 'allocated', events: ['concern.view'] },
  { route: 'POST /concerns/:id/referrals/new', as: 'dso', record: 'allocated', events: ['concern.view', 'onward-referral.create'] },
  { route: 'GET /concerns/:id/referrals/:referralId/outcome', as: 'dso', record: 'allocated', events: ['concern.view'] },
  { route: 'POST /concerns/:id/referrals/:referralId/outcome', as: 'dso', record: 'allocated', events: ['concern.view', 'onward-referral.outcome'] },

  // The duty rota.
  { route: 'GET /rota', events: [] },
  { route: 'GET /rota/generate', events: [] },
  { route: 'POST /rota/generate', events: ['rota.generate'] },
  { route: 'GET /rota/days/:date', events: [] },
  { route: 'POST /rota/days/:date', events: ['rota.day.set'] },
  { route: 'GET /rota/absences', events: [] },
  { route: 'POST /rota/absences', events: ['rota.absence.create'] },
  { route: 'POST /rota/absences/:id/remove', events: ['rota.absence.delete'] },

  // The case record.
  { route: 'GET /cases', events: ['concern.list'] },
  // The search form keeps what was typed in the session and redirects; the list it leads to is the audited read.
  { route: 'POST /cases', events: [], fields: () => ({ q: 'Smith' }) },
  { route: 'GET /concerns/:id/people', events: ['concern.view'] },
  { route: 'GET /concerns/:id/people/new', as: 'dso', events: ['concern.view'] },
  { route: 'POST /concerns/:id/people/new', as: 'dso', events: ['concern.view', 'person.create'] },
  {
    route: 'POST /concerns/:id/people/link',
    as: 'dso',
    events: ['person.link'],
    perform: async ({ world, client, path, act }) => {
      // The person the world put on the team's case, linked to this one as the match offered would be.
      const personId = world.orgRecords.get('a person')!.find((r) => r.kind === 'team')!.id
      await client.get(path.replace(/\/link$/, ''))
      return act(() => client.post(path, { personId, role: 'subject' }))
    },
  },
  { route: 'GET /people/:id', events: ['person.view'] },
  { route: 'GET /people/:id/merge', as: 'safeguarding_manager', events: ['person.view'] },
  {
    route: 'POST /people/:id/merge',
    as: 'safeguarding_manager',
    events: ['person.merge'],
    perform: async ({ world, client, path, act }) => {
      // Two records of one person, on two cases: the merge page offers the second for the first.
      const lead = world.secondDso
      const [first, second] = ['team', 'own'].map((kind) => world.concerns.get('dso')!.find((r) => r.kind === kind && r.children.noteId)!.id)
      const twin = { dateOfBirth: '1990-04-01', postcode: 'WX1 2AB' }
      const a = await addPerson(world.app, lead, first!, 'Jordan Twice', twin)
      await addPerson(world.app, lead, second!, 'Jordan Twice', twin)
      const mergePath = path.replace(/[0-9a-f-]{36}/, a)
      const page = await client.get(mergePath)
      const form = formsOn(page).find((f) => f.action === mergePath)
      if (!form) throw new Error(`the merge page offers no record to merge (${page.status}: ${page.$('main').text().replace(/\s+/g, ' ').slice(0, 300)})`)
      const body = fillForm(form, todayParts(world.app.clock.now()), (c) => (c.name === 'reason' ? 'Same name, same household' : undefined))
      return act(() => client.post(mergePath, body))
    },
  },
  { route: 'GET /people/merges/:mergeId/undo', as: 'safeguarding_manager', events: ['person.view'] },
  { route: 'POST /people/merges/:mergeId/undo', as: 'safeguarding_manager', events: ['person.merge-undo'] },
  { route: 'GET /concerns/:id/chronology', events: ['concern.view'] },
  { route: 'GET /concerns/:id/chronology/print', events: ['concern.print'] },
  { route: 'GET /concerns/:id/chronology/new', as: 'dso', events: ['concern.view'] },
  { route: 'POST /concerns/:id/chronology/new', as: 'dso', events: ['chronology.create'] },
  { route: 'GET /concerns/:id/chronology/:entryId/correct', as: 'dso', events: ['concern.view'] },
  { route: 'POST /concerns/:id/chronology/:entryId/correct', as: 'dso', events: ['chronology.correct'] },
  { route: 'GET /concerns/:id/notes', events: ['concern.view'] },
  { route: 'POST /concerns/:id/notes', as: 'dso', events: ['note.create'] },
  { route: 'GET /concerns/:id/notes/:noteId/correct', as: 'dso', events: ['concern.view'] },
  { route: 'POST /concerns/:id/notes/:noteId/correct', as: 'dso', events: ['note.correct'] },
  { route: 'GET /concerns/:id/tasks', events: ['concern.view'] },
  { route: 'GET /concerns/:id/tasks/new', as: 'dso', events: ['concern.view'] },
  { route: 'POST /concerns/:id/tasks/new', as: 'dso', events: ['task.create'] },
  { route: 'POST /concerns/:id/tasks/:taskId/complete', as: 'dso', record: 'allocated', events: ['task.complete'] },
  { route: 'GET /concerns/:id/documents', events: ['concern.view'] },
  {
    route: 'POST /concerns/:id/documents',
    as: 'dso',
    events: ['document.upload'],
    perform: async ({ client, path, act }) => {
      const page = await client.get(path)
      return act(() => uploadFile(client, path, { name: 'minutes.pdf', bytes: minimalPdf(), type: 'application/pdf' }, { submissionKey: page.$('input[name="submissionKey"]').attr('value') ?? newId() }))
    },
  },
  { route: 'GET /concerns/:id/documents/:documentId/download', events: ['document.download'] },
  { route: 'GET /concerns/:id/access', as: 'safeguarding_manager', events: ['concern.view'] },
  { route: 'POST /concerns/:id/access', as: 'safeguarding_manager', record: 'submitted', events: ['concern.restrict'], fields: (w) => ({ restricted: 'yes', userIds: [w.keeper.id], reason: 'Staff member is related to the family' }) },
  { route: 'GET /break-glass', events: [] },
  {
    route: 'POST /break-glass',
    events: ['concern.break-glass'],
    fields: async (w) => {
      const restricted = w.concerns.get('safeguarding_manager')!.find((r) => r.kind === 'restricted-not-named')!
      const row = await w.app.database.db.selectFrom('concern').select('reference').where('id', '=', restricted.id).executeTakeFirstOrThrow()
      return { reference: row.reference, reason: 'Child protection conference tomorrow' }
    },
  },
  { route: 'GET /break-glass/log', events: ['break-glass.log-view'] },

  // Weekly review and closure.
  { route: 'GET /reviews', events: ['review.list'] },
  { route: 'GET /reviews/new', events: [] },
  { route: 'POST /reviews/new', events: ['review.create'], fields: (w) => dateFields('date', inDays(w, 14)) },
  { route: 'GET /reviews/:id', events: ['review.view'] },
  { route: 'GET /reviews/:id/print', events: ['review.print'] },
  { route: 'GET /reviews/:id/items/:itemId', events: ['concern.view'] },
  { route: 'POST /reviews/:id/items/:itemId', events: ['review.record'] },
  { route: 'POST /reviews/:id/rebuild', events: ['review.rebuild'] },
  { route: 'POST /reviews/:id/complete', events: ['review.complete'] },
  { route: 'GET /concerns/:id/reviews', events: ['concern.view'] },
  { route: 'POST /concerns/:id/ready-for-closure', as: 'dso', record: 'allocated', events: ['concern.ready-for-closure'], formOn: (p) => p.replace(/ready-for-closure$/, 'reviews') },
  { route: 'GET /concerns/:id/closure-request', as: 'dso', record: 'allocated', events: ['concern.view'] },
  {
    route: 'POST /concerns/:id/closure-request',
    as: 'dso',
    record: 'allocated',
    events: ['concern.closure-request'],
    perform: async ({ world, client, path, act }) => {
      // Its Final Review first: a meeting with the case on its agenda, recorded as agreed.
      const concernId = path.split('/')[2]!
      await finalReviewAgreed(world, concernId)
      const page = await client.get(path)
      const form = formsOn(page).find((f) => f.action === path)
      if (!form) throw new Error(`no closure request form: ${page.$('h1').text()}`)
      return act(() => client.post(path, fillForm(form, todayParts(world.app.clock.now()))))
    },
  },
  { route: 'GET /closures', events: ['concern.list'] },
  { route: 'GET /concerns/:id/closure', as: 'senior_lead_officer', recordOf: 'dso', record: 'allocated', events: ['concern.view'] },
  { route: 'POST /concerns/:id/closure', as: 'senior_lead_officer', recordOf: 'dso', record: 'allocated', events: ['concern.close'] },
  { route: 'GET /concerns/:id/reopen', as: 'safeguarding_manager', recordOf: 'dso', record: 'allocated', events: ['concern.view'] },
  { route: 'POST /concerns/:id/reopen', as: 'safeguarding_manager', recordOf: 'dso', record: 'allocated', events: ['concern.reopen'] },

  // Reports.
  { route: 'GET /reports', events: ['report.view'] },
  { route: 'GET /reports/download', events: ['report.export'] },
  { route: 'GET /reports/cases', events: ['concern.list'] },
  { route: 'GET /reports/cases/download', events: ['report.export'] },
  { route: 'GET /reports/scorecard', events: ['report.view'] },
  { route: 'GET /reports/scorecard/download', events: ['report.export'] },
  { route: 'GET /reports/adults-collection', events: ['report.view'] },
  { route: 'GET /reports/adults-collection/download', events: ['report.export'] },
  { route: 'GET /reports/trends', events: ['report.view'] },
  { route: 'GET /reports/trends/download', events: ['report.export'] },
  { route: 'GET /reports/committee', events: ['report.view'] },
  { route: 'GET /reports/committee/pdf', events: ['report.export'] },
  { route: 'GET /reports/settings', events: [] },
  { route: 'POST /reports/settings', events: ['report.settings.update'] },
  { route: 'GET /reports/import', events: [] },
  { route: 'GET /reports/import/template', events: [] },
  {
    route: 'POST /reports/import',
    events: ['import.check'],
    perform: async ({ client, act }) => {
      // The template Kestrel offers, with one row filled in.
      const template = await client.get('/reports/import/template?format=csv')
      await client.get('/reports/import')
      return act(() => uploadFile(client, '/reports/import', { name: 'history.csv', bytes: Buffer.from(template.text), type: 'text/csv' }))
    },
  },
  { route: 'GET /reports/import/:id', events: [] },
  { route: 'GET /reports/import/:id/problems', events: ['import.problems.download'] },
  {
    route: 'POST /reports/import/:id',
    events: ['import.discard'],
    perform: async ({ client, act }) => {
      const template = await client.get('/reports/import/template?format=csv')
      await client.get('/reports/import')
      const uploaded = await uploadFile(client, '/reports/import', { name: 'history.csv', bytes: Buffer.from(template.text), type: 'text/csv' })
      const batch = uploaded.location!
      const page = await client.get(batch)
      const form = formsOn(page).find((f) => f.action === batch)
      if (!form) throw new Error(`the batch page has no form: ${page.$('h1').text()}`)
      return act(() => client.post(batch, { version: form.controls.find((c) => c.name === 'version')!.value, action: 'discard' }))
    },
  },

  // Retention: legal holds, and disposal proposed by one person and approved by a second.
  { route: 'GET /concerns/:id/legal-hold', as: 'safeguarding_manager', events: ['concern.view'] },
  { route: 'POST /concerns/:id/legal-hold', as: 'safeguarding_manager', events: ['concern.legal-hold'] },
  { route: 'GET /concerns/:id/legal-hold/lift', as: 'safeguarding_manager', events: ['concern.view'] },
  { route: 'POST /concerns/:id/legal-hold/lift', as: 'safeguarding_manager', events: ['concern.legal-hold-lift'] },
  { route: 'GET /records/disposal', events: ['disposal.list'] },
  {
    route: 'POST /records/disposal/:id/propose',
    events: ['disposal.propose'],
    perform: async ({ world, client, act }) => {
      const id = await closedLongAgo(world)
      await client.get('/records/disposal')
      return act(() => client.post(`/records/disposal/${id}/propose`, {}))
    },
  },
  {
    route: 'POST /records/disposal/:id/withdraw',
    events: ['disposal.withdraw'],
    perform: async ({ world, client, act }) => {
      const id = await proposedForDisposal(world)
      await client.get('/records/disposal')
      return act(() => client.post(`/records/disposal/${id}/withdraw`, { version: '1' }))
    },
  },
  {
    route: 'GET /records/disposal/:id',
    as: 'senior_lead_officer',
    events: ['disposal.view'],
    perform: async ({ world, client, act }) => {
      const id = await proposedForDisposal(world)
      return act(() => client.get(`/records/disposal/${id}`))
    },
  },
  {
    route: 'POST /records/disposal/:id',
    as: 'senior_lead_officer',
    events: ['concern.dispose'],
    perform: async ({ world, client, act }) => {
      const id = await proposedForDisposal(world)
      const page = await client.get(`/records/disposal/${id}`)
      return act(() => client.post(`/records/disposal/${id}`, { confirm: 'yes', version: page.$('input[name="version"]').attr('value') ?? '' }))
    },
  },
  { route: 'GET /records/disposed', events: ['disposal.register-view'] },

  // Administration.
  { route: 'GET /admin/users', events: [] },
  { route: 'GET /admin/users/new', events: [] },
  { route: 'POST /admin/users/new', events: ['user.create'], ok: 200 },
  { route: 'GET /admin/users/:id', events: [] },
  { route: 'POST /admin/users/:id', events: ['user.update'] },
  { route: 'POST /admin/users/:id/password', events: ['user.password-reset'], ok: 200 },
  { route: 'GET /admin/users/:id/two-step-verification', events: [] },
  {
    route: 'POST /admin/users/:id/two-step-verification',
    events: ['user.mfa-reset'],
    perform: async (s) => {
      const withApp = await userWithAuthenticator(s)
      const user = await s.world.app.database.db.selectFrom('app_user').select('id').where('email', '=', withApp.email).executeTakeFirstOrThrow()
      const path = `/admin/users/${user.id}/two-step-verification`
      const form = formsOn(await s.client.get(path)).find((f) => f.action === path)
      if (!form) throw new Error('no reset form for a user with an authenticator')
      return s.act(() => s.client.post(path, fillForm(form, todayParts(s.world.app.clock.now()))))
    },
  },
  { route: 'POST /admin/users/:id/active', events: ['user.deactivate'] },
  { route: 'GET /admin/services', events: [] },
  { route: 'POST /admin/services', events: ['reference.service.create'] },
  { route: 'GET /admin/services/:id', events: [] },
  { route: 'POST /admin/services/:id', events: ['reference.service.update'] },
  { route: 'GET /admin/closure-days', events: [] },
  { route: 'POST /admin/closure-days', events: ['reference.closure-day.create'], fields: (w) => ({ ...dateFields('date', inDays(w, 30)), reason: 'Council closure' }) },
  { route: 'POST /admin/closure-days/remove', events: ['reference.closure-day.delete'] },
  { route: 'GET /admin/agencies', events: [] },
  { route: 'POST /admin/agencies', events: ['reference.agency.create'] },
  { route: 'GET /admin/agencies/:id', events: [] },
  { route: 'POST /admin/agencies/:id', events: ['reference.agency.update'] },
  { route: 'GET /admin/emails', events: ['email.list'] },
  { route: 'GET /admin/emails/:id', events: ['email.view'] },
  { route: 'POST /admin/emails/:id/retry', events: ['email.retry'] },
  { route: 'GET /admin/notification-settings', events: [] },
  { route: 'POST /admin/notification-settings', events: ['settings.notifications.update'], fields: () => ({ emailDelivery: 'outbox' }), leaveEmpty: /^(notifyApiKey|template_)/ },
  { route: 'GET /admin/retention', events: [] },
  { route: 'POST /admin/retention', events: ['retention.settings'], fields: () => ({ paused: 'no' }), leaveEmpty: /^pausedReason$/ },
  { route: 'GET /admin/security', events: [] },
  { route: 'POST /admin/security', events: ['organisation.security-settings'], fields: () => ({ mfaRequired: 'no' }) },

  // Signing out (someone new, so the personas stay signed in).
  {
    route: 'POST /sign-out',
    events: ['auth.sign-out'],
    perform: async ({ world, act }) => {
      const client = await world.app.signedIn(await world.app.factories.user(world.org))
      await client.get('/')
      return act(() => client.post('/sign-out', {}))
    },
  },
]

/** Marks the case ready, holds a meeting with it on the agenda and records its Final Review as agreed. */
async function finalReviewAgreed(world: World, concernId: string): Promise<void> {
  const deps = world.app.server.deps
  const manager = world.persona('safeguarding_manager').user
  const concern = await world.app.database.db.selectFrom('concern').select(['version', 'lead_dso_id', 'ready_for_closure_at']).where('id', '=', concernId).executeTakeFirstOrThrow()
  const lead = world.personas.find((p) => p.user.id === concern.lead_dso_id)!.user
  if (!concern.ready_for_closure_at) {
    const ready = await markReadyForClosure(deps, world.app.factories.context(lead), concernId, concern.version)
    if (ready.kind !== 'done') throw new Error(`could not mark ready: ${JSON.stringify(ready)}`)
  }
  // Every onward referral needs its outcome before closure.
  for (const r of await world.app.database.db.selectFrom('onward_referral').select(['id', 'version']).where('concern_id', '=', concernId).where('outcome', 'is', null).execute()) {
    const done = await recordOutcome(deps, world.app.factories.context(lead), concernId, r.id, r.version, 'accepted', null)
    if (done.kind !== 'done') throw new Error(`could not record a referral outcome: ${JSON.stringify(done)}`)
  }
  const latest = await world.app.database.db.selectFrom('review_meeting').select((eb) => eb.fn.max('meeting_date').as('d')).where('organisation_id', '=', world.org.id).executeTakeFirst()
  const date = londonDate(new Date(Math.max(world.app.clock.now().getTime(), new Date(`${latest?.d ?? today(world)}T12:00:00Z`).getTime()) + 86_400_000))
  const meeting = await createMeeting(deps, world.app.factories.context(manager), { meetingDate: date, attendeeIds: [manager.id], submissionKey: newId() })
  if (meeting.kind !== 'done') throw new Error(`could not create the meeting: ${JSON.stringify(meeting)}`)
  const item = await world.app.database.db.selectFrom('review_item').select(['id', 'version']).where('meeting_id', '=', meeting.id!).where('concern_id', '=', concernId).executeTakeFirstOrThrow()
  const recorded = await recordReview(deps, world.app.factories.context(manager), meeting.id!, item.id, item.version, { outcome: 'agreed', notes: null, actions: [] })
  if (recorded.kind !== 'done') throw new Error(`could not record the Final Review: ${JSON.stringify(recorded)}`)
}

/** A new case, closed in 2015: its retention (six years after closure) has long ended. */
async function closedLongAgo(w: World): Promise<string> {
  const { id } = await w.app.factories.concern(w.bystander)
  await w.app.database.db.updateTable('concern').set({ status: 'closed', received_at: new Date('2015-01-05T10:00:00Z'), closed_at: new Date('2015-03-02T10:00:00Z') }).where('id', '=', id).execute()
  return id
}

/** A case past its retention that the manager has proposed disposing of. */
async function proposedForDisposal(w: World): Promise<string> {
  const id = await closedLongAgo(w)
  const proposed = await proposeDisposal(w.app.server.deps, w.app.factories.context(w.persona('safeguarding_manager').user), id)
  if (proposed.kind !== 'done') throw new Error(`could not propose disposal: ${JSON.stringify(proposed)}`)
  return id
}
