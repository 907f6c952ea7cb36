import { newId } from '../../src/ids.js'
import { addPersonToCase } from '../../src/services/case-people.js'
import { uploadDocument } from '../../src/services/case-documents.js'
import { decideClosure, requestClosure } from '../../src/services/closure.js'
import { addOnwardReferral, recordOutcome } from '../../src/services/onward-referrals.js'
import type { ConcernAnswers } from '../../src/services/raise-concern.js'
import type { TestApp } from './app.js'
import { addNoteAs, agreeFinalReview, deps, openCase, type CaseTeam } from './casework.js'
import { minimalPdf } from './sample-files.js'
import { concernVersion } from './triage.js'

const ADULT_CLOSURE = { sacOutcome: 'risk_identified_action_taken', riskOutcome: 'risk_reduced', mspAsked: 'asked_expressed', mspAchieved: 'partially' }
const NO_SAC = { sacOutcome: null, riskOutcome: null, mspAsked: null, mspAchieved: null }

/**
 * A case with content in every kind of record (note, document, chronology, a linked person, an
 * onward referral), taken through Final Review, closure request and the Senior Lead Officer's
 * approval with the real services. `meetingDate` is the review meeting's date (the test clock's day).
 */
export async function closedCaseWithContent(app: TestApp, team: CaseTeam, meetingDate: string, answers: Partial<ConcernAnswers> = {}): Promise<string> {
  const id = await openCase(app, team, answers)
  await addNoteAs(app, team.lead, id, 'Spoke to her daughter about the bruising.')
  const lead = app.factories.context(team.lead)
  const upload = await uploadDocument(deps(app), lead, id, { fileName: 'visit.pdf', bytes: Buffer.from(minimalPdf()), truncated: false, description: 'Visit record', submissionKey: newId() })
  if (upload.kind !== 'done') throw new Error(`Could not upload: ${JSON.stringify(upload)}`)
  const person = await addPersonToCase(deps(app), lead, id, { role: 'household', person: { name: 'Daisy Disposable', dateOfBirth: '1990-01-02', postcode: 'WM1 1AA', otherNames: null, ageYears: null, address: '1 High Street' } })
  if (person.kind !== 'done') throw new Error(`Could not add a person: ${JSON.stringify(person)}`)
  const referral = await addOnwardReferral(deps(app), lead, id, newId(), {
    agency: 'Adult Social Care', agencyOther: null, madeAt: app.clock.now(), method: 'phone', contact: 'Duty desk, Jo Smith', agencyReference: 'ASC-1',
    consent: 'given', consentReason: null, informationShared: 'Her name, address and what her daughter said.', followUpOn: null,
  })
  if (referral.kind !== 'done') throw new Error(`Could not add a referral: ${JSON.stringify(referral)}`)
  const made = await app.database.db.selectFrom('onward_referral').select(['id', 'version']).where('concern_id', '=', id).executeTakeFirstOrThrow()
  const outcome = await recordOutcome(deps(app), lead, id, made.id, made.version, 'accepted', 'Care assessment booked.')
  if (outcome.kind !== 'done') throw new Error(`Could not record the referral's outcome: ${JSON.stringify(outcome)}`)
  await agreeFinalReview(app, team, id, meetingDate)
  const adult = (answers.atRisk ?? 'adult') === 'adult'
  const requested = await requestClosure(deps(app), lead, id, await concernVersion(app, id), { closingSummary: 'Care package in place.', ...(adult ? ADULT_CLOSURE : NO_SAC) }, newId())
  if (requested.kind !== 'done') throw new Error(`Could not request closure: ${JSON.stringify(requested)}`)
  const decided = await decideClosure(deps(app), app.factories.context(team.slo), id, await concernVersion(app, id), 'approve', null)
  if (decided.kind !== 'done') throw new Error(`Could not close: ${JSON.stringify(decided)}`)
  return id
}
