import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js'
import { errorSummary, headingText, type TestClient } from '../../../../test/helpers/client.js'
import type { TestOrganisation, TestUser } from '../../../../test/helpers/factories.js'
import { completeConcernForm, summaryAnswers, type ConcernForm } from '../../../../test/helpers/concern-form.js'
import { countRows } from '../../../../test/helpers/records.js'

type Form = ConcernForm
const completeForm = completeConcernForm

const answers = summaryAnswers

describe('raising a concern: the form and check your answers', () => {
  let app: TestApp
  let org: TestOrganisation
  let staff: TestUser

  before(async () => {
    // Monday 9 March 2026, 10:15 London time.
    app = await startTestApp({ now: '2026-03-09T10:15:00Z' })
    org = await app.factories.organisation()
    staff = await app.factories.user(org, [], { name: 'Sam Referrer' })
  })
  after(() => app.stop())

  async function openForm(): Promise<TestClient> {
    const client = await app.signedIn(staff)
    const form = await client.get('/concerns/new')
    assert.equal(form.status, 200)
    return client
  }

  it('offers every question, with the referrer’s own service chosen already', async () => {
    const client = await app.signedIn(staff)
    const form = await client.get('/concerns/new')
    assert.equal(headingText(form), 'Raise a safeguarding concern')
    assert.match(form.text, /If anyone is in immediate danger, call 999 now/)
    for (const name of ['atRisk', 'personName', 'personKnownAs', 'dob-day', 'dob-month', 'dob-year', 'personAgeYears', 'personAddress', 'personPostcode', 'householdMembers', 'whatHappened', 'concernTypes', 'location', 'happened-day', 'immediateDanger', 'personAware', 'serviceId']) {
      assert.ok(form.$(`[name="${name}"]`).length > 0, `the form asks for ${name}`)
    }
    assert.equal(form.$('#serviceId option[selected]').attr('value'), staff.serviceId)
    assert.deepEqual(form.$('input[name="atRisk"]').map((_, el) => form.$(el).attr('value')).get(), ['adult', 'child', 'unborn', 'household'])
  })

  it('takes every answer to check your answers and records it exactly when sent', async () => {
    const client = await openForm()
    const before = await countRows(app.database.db, 'concern')
    const posted = await client.post('/concerns/new', completeForm(org))
    assert.equal(posted.status, 303)
    assert.equal(posted.location, '/concerns/new/check')
    assert.equal(await countRows(app.database.db, 'concern'), before, 'nothing is saved until the referrer sends it')

    const check = await client.get('/concerns/new/check')
    assert.equal(headingText(check), 'Check your answers before sending your concern')
    const rows = answers(check)
    assert.deepEqual(Object.fromEntries(rows), {
      'Who is at risk': 'An adult',
      Name: 'Margaret Ellis',
      'Other names': 'Peggy',
      'Date of birth': '28 February 1941',
      'Approximate age': 'Not given',
      Address: '12 Mill Lane\nWealdmoor',
      Postcode: 'WX1 2AB',
      'Other people in the household': 'Tom Ellis (nephew, about 40)',
      'What happened': 'Mrs Ellis said her nephew "borrows" her bank card.\n\nShe seemed frightened of him.',
      'Types of concern': 'Financial or Material Abuse (adult)Psychological Abuse (adult)',
      'Where it happened': 'Own Home',
      'When it happened': '6 March 2026',
      'Anyone in immediate danger': 'No',
      'The person knows and agrees': 'Yes, they know and agree',
      'Your service': org.services[1]!.name,
    })
    assert.doesNotMatch(check.text, /call 999 now/, 'no danger warning when nobody is in danger')

    const sent = await client.post('/concerns/new/check', { submissionKey: check.$('input[name="submissionKey"]').attr('value')! })
    assert.equal(sent.status, 303)
    assert.match(sent.location!, /^\/concerns\/[0-9a-f-]{36}\/confirmation$/)
    assert.equal(await countRows(app.database.db, 'concern'), before + 1)

    const id = sent.location!.split('/')[2]!
    const row = await app.database.db.selectFrom('concern').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.organisation_id, org.id)
    assert.equal(row.referrer_user_id, staff.id)
    assert.equal(row.referrer_service_id, org.services[1]!.id)
    assert.equal(row.status, 'submitted')
    assert.equal(row.at_risk, 'adult')
    assert.equal(row.person_name, 'Margaret Ellis')
    assert.equal(row.person_known_as, 'Peggy')
    assert.equal(row.person_date_of_birth, '1941-02-28')
    assert.equal(row.person_age_years, null)
    assert.equal(row.person_address, '12 Mill Lane\nWealdmoor')
    assert.equal(row.person_postcode, 'WX1 2AB')
    assert.equal(row.household_members, 'Tom Ellis (nephew, about 40)')
    assert.equal(row.what_happened, 'Mrs Ellis said her nephew "borrows" her bank card.\n\nShe seemed frightened of him.')
    assert.deepEqual(row.concern_types, ['adult:Financial or Material Abuse', 'adult:Psychological Abuse'])
    assert.equal(row.location, 'Own Home')
    assert.equal(row.happened_on, '2026-03-06')
    assert.equal(row.immediate_danger, false)
    assert.equal(row.person_aware, 'knows_and_agrees')
    assert.equal(row.received_at.toISOString(), '2026-03-09T10:15:00.000Z')
    // Monday's concern is due by the end of Wednesday, London time (GMT in March before the change).
    assert.equal(row.due_at.toISOString(), '2026-03-11T23:59:59.999Z')

    const audit = await app.database.db.selectFrom('audit_event').select(['action', 'record_id', 'details', 'actor_user_id']).where('action', '=', 'concern.create').where('record_id', '=', id).execute()
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.actor_user_id, staff.id)
    assert.doesNotMatch(JSON.stringify(audit[0]!.details), /Margaret|Ellis|bank card/, 'audit details hold no narrative or names')
  })

  it('accepts an approximate age instead of a date of birth, and an unborn child with neither', async () => {
    const client = await openForm()
    const withAge = await client.post('/concerns/new', { ...completeForm(org), 'dob-day': '', 'dob-month': '', 'dob-year': '', personAgeYears: '34' })
    assert.equal(withAge.status, 303)
    assert.equal(answers(await client.get('/concerns/new/check')).get('Approximate age'), '34 years')

    await client.get('/concerns/new')
    const unborn = await client.post('/concerns/new', {
      ...completeForm(org),
      atRisk: 'unborn',
      'dob-day': '',
      'dob-month': '',
      'dob-year': '',
      concernTypes: 'child:Neglect',
      personAware: 'not_appropriate',
    })
    assert.equal(unborn.status, 303)
    const rows = answers(await client.get('/concerns/new/check'))
    assert.equal(rows.get('Who is at risk'), 'An unborn child')
    assert.equal(rows.get('Types of concern'), 'Neglect (child)')
  })

  describe('refuses each mistake with its GOV.UK message, saves nothing and keeps what was typed', () => {
    const cases: { name: string; change: (form: Form) => Form; errors: string[]; href?: string }[] = [
      { name: 'who is at risk missing', change: (f) => ({ ...f, atRisk: '' }), errors: ['Select who is at risk'], href: '#atRisk' },
      { name: 'name missing', change: (f) => ({ ...f, personName: '   ' }), errors: ['Enter the name of the person at risk'], href: '#personName' },
      { name: 'what happened missing', change: (f) => ({ ...f, whatHappened: '\r\n  \r\n' }), errors: ['Enter what happened or what you saw'], href: '#whatHappened' },
      { name: 'no type of concern', change: ({ concernTypes: _, ...f }) => f, errors: ['Select at least one type of concern'], href: '#concernTypes' },
      { name: 'where it happened missing', change: ({ location: _, ...f }) => f, errors: ['Select where it happened'], href: '#location' },
      { name: 'immediate danger not answered', change: ({ immediateDanger: _, ...f }) => f, errors: ['Select yes if anyone is in immediate danger now'], href: '#immediateDanger' },
      { name: '"knows and agrees" not answered', change: ({ personAware: _, ...f }) => f, errors: ['Select whether the person knows about and agrees to this concern'], href: '#personAware' },
      { name: 'service missing', change: (f) => ({ ...f, serviceId: '' }), errors: ['Select the service you work in'], href: '#serviceId' },
      { name: 'an impossible date of birth (31 2 2020)', change: (f) => ({ ...f, 'dob-day': '31', 'dob-month': '2', 'dob-year': '2020' }), errors: ['Date of birth must be a real date'], href: '#dob-day' },
      { name: 'a date of birth without a month', change: (f) => ({ ...f, 'dob-month': '' }), errors: ['Date of birth must include a month'], href: '#dob-month' },
      { name: 'a date of birth with only a year', change: (f) => ({ ...f, 'dob-day': '', 'dob-month': '' }), errors: ['Date of birth must include a day and month'], href: '#dob-day' },
      { name: 'a "when it happened" without a day', change: (f) => ({ ...f, 'happened-day': '' }), errors: ['The date it happened must include a day'], href: '#happened-day' },
      { name: 'a date of birth in the future', change: (f) => ({ ...f, 'dob-day': '10', 'dob-month': '3', 'dob-year': '2026' }), errors: ['Date of birth must be today or in the past'] },
      { name: '"when it happened" in the future', change: (f) => ({ ...f, 'happened-day': '10', 'happened-month': '3', 'happened-year': '2026' }), errors: ['The date it happened must be today or in the past'] },
      { name: 'neither a date of birth nor an age', change: (f) => ({ ...f, 'dob-day': '', 'dob-month': '', 'dob-year': '', personAgeYears: '' }), errors: ['Enter a date of birth or an approximate age'], href: '#dob-day' },
      { name: 'an age that is not a number', change: (f) => ({ ...f, 'dob-day': '', 'dob-month': '', 'dob-year': '', personAgeYears: 'forty' }), errors: ['Approximate age must be a whole number between 0 and 120'], href: '#personAgeYears' },
      { name: 'an "adult" born 12 years ago', change: (f) => ({ ...f, 'dob-day': '1', 'dob-month': '1', 'dob-year': '2014' }), errors: ['An adult must be 18 or over: check the date of birth or age, or who is at risk'], href: '#dob-day' },
      { name: 'an "adult" aged about 16', change: (f) => ({ ...f, 'dob-day': '', 'dob-month': '', 'dob-year': '', personAgeYears: '16' }), errors: ['An adult must be 18 or over: check the date of birth or age, or who is at risk'], href: '#personAgeYears' },
      { name: 'a "child" aged 30', change: (f) => ({ ...f, atRisk: 'child', 'dob-day': '', 'dob-month': '', 'dob-year': '', personAgeYears: '30', concernTypes: 'child:Neglect' }), errors: ['A child must be under 18: check the date of birth or age, or who is at risk'] },
      { name: 'a "child" turning 18 last week', change: (f) => ({ ...f, atRisk: 'child', 'dob-day': '2', 'dob-month': '3', 'dob-year': '2008', concernTypes: 'child:Neglect' }), errors: ['A child must be under 18: check the date of birth or age, or who is at risk'] },
      { name: 'adult types chosen for a child', change: (f) => ({ ...f, atRisk: 'child', 'dob-day': '', 'dob-month': '', 'dob-year': '', personAgeYears: '9', concernTypes: ['adult:Physical Abuse', 'child:Neglect'] }), errors: ['Select types of concern from the list for children'], href: '#concernTypes' },
      { name: 'child types chosen for an adult', change: (f) => ({ ...f, concernTypes: 'child:Neglect' }), errors: ['Select types of concern from the list for adults'] },
      { name: 'a type that is not on the list', change: (f) => ({ ...f, concernTypes: 'adult:Witchcraft' }), errors: ['Select types of concern from the list'] },
      { name: 'an invalid postcode', change: (f) => ({ ...f, personPostcode: 'NOT A POSTCODE' }), errors: ['Enter a real postcode, like LE67 3FJ'], href: '#personPostcode' },
      { name: 'what happened over 10,000 characters', change: (f) => ({ ...f, whatHappened: 'x'.repeat(10_001) }), errors: ['What happened must be 10,000 characters or less'] },
      { name: 'a NUL byte in what happened', change: (f) => ({ ...f, whatHappened: 'She said\u0000 nothing' }), errors: ['What happened must not contain control characters'] },
      { name: 'a NUL byte in the name', change: (f) => ({ ...f, personName: 'Margaret\u0000Ellis' }), errors: ['Name must not contain control characters'] },
      { name: 'an over-long name', change: (f) => ({ ...f, personName: 'M'.repeat(201) }), errors: ['Name must be 200 characters or less'] },
      { name: 'a duplicated "who is at risk" parameter', change: (f) => ({ ...f, atRisk: ['adult', 'child'] }), errors: ['Select who is at risk'] },
      { name: 'a duplicated "immediate danger" parameter', change: (f) => ({ ...f, immediateDanger: ['yes', 'no'] }), errors: ['Select yes if anyone is in immediate danger now'] },
      { name: 'a service from the list of another organisation', change: (f) => ({ ...f, serviceId: '0190a6a4-1c2b-7d3e-8f40-123456789abc' }), errors: ['Select the service you work in'] },
    ]

    for (const c of cases) {
      it(c.name, async () => {
        const client = await openForm()
        const before = await countRows(app.database.db, 'concern')
        const form = c.change(completeForm(org))
        const page = await client.post('/concerns/new', form)
        assert.equal(page.status, 400)
        assert.deepEqual(errorSummary(page), c.errors)
        assert.equal(page.$('title').text().trim().startsWith('Error:'), true, 'the page title starts with "Error:"')
        if (c.href) assert.equal(page.$('.govuk-error-summary__list a').first().attr('href'), c.href)
        assert.equal(await countRows(app.database.db, 'concern'), before)
        // What was typed comes back (unless it was the field at fault and not a single string).
        if (typeof form.personName === 'string' && !form.personName.includes('\u0000')) assert.equal(page.$('#personName').attr('value') ?? '', form.personName)
        if (typeof form.location === 'string') assert.equal(page.$('input[name="location"][checked]').attr('value'), form.location)
        const offered = org.services.some((s) => s.id === form.serviceId)
        assert.equal(page.$('#serviceId option[selected]').attr('value') ?? '', offered ? form.serviceId : '')
        // Nothing moves on: check your answers has no draft to show.
        const check = await client.get('/concerns/new/check')
        assert.equal(check.status, 303)
        assert.equal(check.location, '/concerns/new')
      })
    }

    it('lists every problem of an empty form at once, in page order', async () => {
      const client = await openForm()
      const page = await client.post('/concerns/new', { atRisk: 'adult' })
      assert.equal(page.status, 400)
      assert.deepEqual(errorSummary(page), [
        'Enter the name of the person at risk',
        'Enter a date of birth or an approximate age',
        'Enter what happened or what you saw',
        'Select at least one type of concern',
        'Select where it happened',
        'Select yes if anyone is in immediate danger now',
        'Select whether the person knows about and agrees to this concern',
        'Select the service you work in',
      ])
    })

    it('keeps typed text, ticked types and answers when re-showing the form', async () => {
      const client = await openForm()
      const form = { ...completeForm(org), personPostcode: 'nonsense', whatHappened: '  Indented first line\r\nsecond line  ' }
      const page = await client.post('/concerns/new', form)
      assert.equal(page.status, 400)
      assert.equal(page.$('#personPostcode').attr('value'), 'nonsense')
      assert.equal(page.$('#whatHappened').text(), '  Indented first line\r\nsecond line  '.replace(/\r\n/g, '\n'))
      assert.deepEqual(page.$('input[name="concernTypes"][checked]').map((_, el) => page.$(el).attr('value')).get().sort(), ['adult:Financial or Material Abuse', 'adult:Psychological Abuse'])
      assert.equal(page.$('input[name="atRisk"][checked]').attr('value'), 'adult')
      assert.equal(page.$('input[name="immediateDanger"][checked]').attr('value'), 'no')
      assert.equal(page.$('input[name="personAware"][checked]').attr('value'), 'knows_and_agrees')
      assert.equal(page.$('#dob-day').attr('value'), '28')
      assert.equal(page.$('#happened-year').attr('value'), '2026')
    })
  })

  it('accepts exactly 10,000 characters', async () => {
    const client = await openForm()
    const page = await client.post('/concerns/new', { ...completeForm(org), whatHappened: 'y'.repeat(10_000) })
    assert.equal(page.status, 303)
  })

  it('brings the draft back from every "Change" link, and sends the changed answers', async () => {
    const client = await openForm()
    await client.post('/concerns/new', completeForm(org))
    const check = await client.get('/concerns/new/check')
    const links = check.$('.govuk-summary-list__actions a').map((_, a) => ({ href: check.$(a).attr('href')!, text: check.$(a).text().replace(/\s+/g, ' ').trim() })).get()
    assert.equal(links.length, 15, 'every answer can be changed')
    for (const link of links) {
      assert.match(link.href, /^\/concerns\/new#[\w-]+$/)
      const anchor = link.href.split('#')[1]!
      const form = await client.get(link.href.split('#')[0]!)
      assert.equal(form.status, 200)
      assert.ok(form.$(`#${anchor}`).length === 1, `"${link.text}" points at a field on the form (#${anchor})`)
    }
    assert.ok(links.some((l) => l.text === 'Change name'), 'links say what they change')

    const form = await client.get('/concerns/new')
    assert.equal(form.$('#personName').attr('value'), 'Margaret Ellis')
    assert.equal(form.$('#personKnownAs').attr('value'), 'Peggy')
    assert.equal(form.$('#dob-day').attr('value'), '28')
    assert.equal(form.$('#dob-month').attr('value'), '2')
    assert.equal(form.$('#dob-year').attr('value'), '1941')
    assert.equal(form.$('#personAddress').text(), '12 Mill Lane\nWealdmoor')
    assert.equal(form.$('#personPostcode').attr('value'), 'WX1 2AB')
    assert.equal(form.$('#whatHappened').text(), 'Mrs Ellis said her nephew "borrows" her bank card.\n\nShe seemed frightened of him.')
    assert.deepEqual(form.$('input[name="concernTypes"][checked]').map((_, el) => form.$(el).attr('value')).get().sort(), ['adult:Financial or Material Abuse', 'adult:Psychological Abuse'])
    assert.equal(form.$('input[name="location"][checked]').attr('value'), 'Own Home')
    assert.equal(form.$('#happened-day').attr('value'), '6')
    assert.equal(form.$('input[name="immediateDanger"][checked]').attr('value'), 'no')
    assert.equal(form.$('input[name="personAware"][checked]').attr('value'), 'knows_and_agrees')
    assert.equal(form.$('#serviceId option[selected]').attr('value'), org.services[1]!.id)

    const key = check.$('input[name="submissionKey"]').attr('value')
    const changed = await client.post('/concerns/new', { ...completeForm(org), personName: 'Margaret Anne Ellis', immediateDanger: 'yes' })
    assert.equal(changed.status, 303)
    const again = await client.get('/concerns/new/check')
    assert.equal(answers(again).get('Name'), 'Margaret Anne Ellis')
    assert.equal(again.$('input[name="submissionKey"]').attr('value'), key, 'changing an answer keeps the same submission')
    assert.match(again.text, /You said someone is in immediate danger\. If you have not already, call 999 now\./)
    const sent = await client.post('/concerns/new/check', { submissionKey: key! })
    const row = await app.database.db.selectFrom('concern').select(['person_name', 'immediate_danger']).where('id', '=', sent.location!.split('/')[2]!).executeTakeFirstOrThrow()
    assert.deepEqual(row, { person_name: 'Margaret Anne Ellis', immediate_danger: true })
  })

  it('keeps free text exactly as typed: lines, spaces, quotes, and markup shown as text', async () => {
    const narrative = '\nFirst line after a blank line.\n    Indented by four spaces.\nTabs\tkept; trailing spaces kept.   \n“Curly” and "straight" quotes, it’s <b>not bold</b> & <script>alert("x")</script>\n\n\nThree line breaks above.'
    const household = '  <img src=x onerror=alert(1)>\nTwo lines  '
    const client = await openForm()
    const posted = await client.post('/concerns/new', { ...completeForm(org), whatHappened: narrative.replace(/\n/g, '\r\n'), householdMembers: household.replace(/\n/g, '\r\n') })
    assert.equal(posted.status, 303)

    const check = await client.get('/concerns/new/check')
    const rows = answers(check)
    assert.equal(rows.get('What happened'), narrative)
    assert.equal(rows.get('Other people in the household'), household)
    assert.doesNotMatch(check.text, /<script>alert/, 'markup is never sent as markup')
    assert.doesNotMatch(check.text, /<img src=x/)
    assert.match(check.text, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/)
    assert.equal(check.$('main script').length, 0)

    // Changing an answer shows the same text back in the box, first blank line included.
    const form = await client.get('/concerns/new')
    assert.equal(form.$('#whatHappened').text(), narrative)
    assert.equal(form.$('#householdMembers').text(), household)

    const sent = await client.post('/concerns/new/check', { submissionKey: check.$('input[name="submissionKey"]').attr('value')! })
    const id = sent.location!.split('/')[2]!
    const row = await app.database.db.selectFrom('concern').select(['what_happened', 'household_members']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.what_happened, narrative, 'stored exactly, with CRLF stored as LF')
    assert.equal(row.household_members, household)
    assert.doesNotMatch(row.what_happened, /\r/)

    const mine = await client.get(`/my-concerns/${id}`)
    assert.equal(answers(mine).get('What happened'), narrative, 'the referrer’s copy is exact too')
  })

  it('stores a lone CR line break as LF', async () => {
    const client = await openForm()
    await client.post('/concerns/new', { ...completeForm(org), whatHappened: 'one\rtwo\r\nthree' })
    const check = await client.get('/concerns/new/check')
    assert.equal(answers(check).get('What happened'), 'one\ntwo\nthree')
  })

  it('refuses a post without the CSRF token and saves nothing', async () => {
    const client = await openForm()
    const page = await client.post('/concerns/new', completeForm(org), { csrf: false })
    assert.equal(page.status, 403)
    assert.equal((await client.get('/concerns/new/check')).status, 303)
  })
})
