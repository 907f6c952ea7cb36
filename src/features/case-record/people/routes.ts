import type { Request, Response } from 'express'
import type { AppDeps } from '../../../context.js'
import { mayAddToCase } from '../../../domain/case-record-rules.js'
import { STATUS_LABELS } from '../../../domain/concern-status.js'
import { ageOn } from '../../../domain/age.js'
import { londonDate } from '../../../domain/working-days.js'
import { paths } from '../../../paths.js'
import { listCasePeople } from '../../../repositories/person-repository.js'
import type { RouteSpec } from '../../../routing.js'
import { signedIn } from '../../../routing.js'
import { offeredMatches } from '../../../services/case-people.js'
import { caseRecordLocals, loadCaseRecord } from '../case-page.js'
import { ROLE_LABELS } from './person-form.js'

export function describePersonAge(p: { date_of_birth: string | null; age_years: number | null }, today: string): string {
  if (p.date_of_birth) return `${ageOn(p.date_of_birth, today)} (born ${p.date_of_birth.split('-').reverse().join('/')})`
  if (p.age_years !== null) return `about ${p.age_years}`
  return 'Not known'
}

/**
 * The People tab: who the case is about, the household and any alleged person responsible, each
 * linked to the person index with "N previous concerns about this person". While the person at
 * risk is not linked yet, the index is searched and likely matches are offered at once.
 */
export function peopleRoutes(deps: AppDeps): RouteSpec[] {
  async function show(req: Request, res: Response) {
    const ctx = signedIn(req)
    const today = londonDate(ctx.now())
    const { concern, data } = await loadCaseRecord(deps, ctx, req.params.id, { action: 'concern.view', details: { tab: 'people' } }, async (tx, c) => {
      const people = await listCasePeople(tx, ctx.user.organisationId, c.id, ctx.user.id)
      const canAdd = mayAddToCase(ctx.user, c).allowed
      const needsSubject = canAdd && !people.some((p) => p.role === 'subject')
      const matches = needsSubject ? await offeredMatches(tx, ctx, { name: c.person_name, otherNames: c.person_known_as, dateOfBirth: c.person_date_of_birth, ageYears: c.person_age_years, postcode: c.person_postcode }) : []
      return { people, canAdd, needsSubject, matches }
    })
    res.render('case-record/people/view.njk', {
      ...caseRecordLocals(concern, ctx, 'people'),
      canAdd: data.canAdd,
      needsSubject: data.needsSubject,
      referral: { name: concern.person_name, otherNames: concern.person_known_as, age: describePersonAge({ date_of_birth: concern.person_date_of_birth, age_years: concern.person_age_years }, today), address: concern.person_address, postcode: concern.person_postcode },
      matches: data.matches.map((m) => ({ ...m, age: describePersonAge({ date_of_birth: m.candidate.date_of_birth, age_years: m.candidate.age_years }, today) })),
      people: data.people.map((p) => {
        const previous = p.otherConcerns.filter((o) => o.received_at < concern.received_at)
        return { ...p, roleLabel: ROLE_LABELS[p.role], age: describePersonAge(p, today), previous, others: p.otherConcerns.map((o) => ({ ...o, statusLabel: STATUS_LABELS[o.status] })) }
      }),
    })
  }
  return [{ method: 'get', path: paths.concernPeople(':id'), action: 'concern:view', handler: show }]
}
