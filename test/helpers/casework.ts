import type { ConcernAnswers } from '../../src/services/raise-concern.js'
import { newId } from '../../src/ids.js'
import { addNote } from '../../src/services/case-notes.js'
import { addTask } from '../../src/services/case-tasks.js'
import { createMeeting, rebuildAgenda, recordReview } from '../../src/services/case-review.js'
import { markReadyForClosure } from '../../src/services/closure.js'
import type { TestApp } from './app.js'
import type { TestOrganisation, TestUser } from './factories.js'
import { allocateAs, concernVersion, decideAs } from './triage.js'

/** The people a case-record test needs: a referrer, Lead and Second DSO, a manager, a Senior Lead Officer and an auditor. */
export interface CaseTeam {
  referrer: TestUser
  lead: TestUser
  second: TestUser
  otherDso: TestUser
  manager: TestUser
  slo: TestUser
  auditor: TestUser
}

export async function caseTeam(app: TestApp, org: TestOrganisation): Promise<CaseTeam> {
  const f = app.factories
  return {
    referrer: await f.user(org, [], { name: 'Rita Referrer' }),
    lead: await f.user(org, ['dso'], { name: 'Lena Lead' }),
    second: await f.user(org, ['dso'], { name: 'Sid Second' }),
    otherDso: await f.user(org, ['dso'], { name: 'Olga Other' }),
    manager: await f.user(org, ['safeguarding_manager', 'dso'], { name: 'Morgan Manager' }),
    slo: await f.user(org, ['senior_lead_officer'], { name: 'Sally Senior' }),
    auditor: await f.user(org, ['auditor'], { name: 'Aubrey Auditor' }),
  }
}

/** Raises, allocates and decides a concern through the real services: an open case. */
export async function openCase(app: TestApp, team: CaseTeam, answers: Partial<ConcernAnswers> = {}): Promise<string> {
  const { id } = await app.factories.concern(team.referrer, answers)
  app.clock.advanceMinutes(5)
  await allocateAs(app, team.manager, id, team.lead, team.second)
  app.clock.advanceMinutes(5)
  await decideAs(app, team.lead, id, answers.atRisk === 'child' ? { confirmedTypes: answers.concernTypes ?? ['child:Neglect'] } : {})
  return id
}

export function deps(app: TestApp) {
  return app.server.deps
}

/** Marks ready for closure, holds a meeting and records an agreed Final Review: the case may now be closed. */
export async function agreeFinalReview(app: TestApp, team: CaseTeam, concernId: string, meetingDate: string, options: { alreadyReady?: boolean } = {}): Promise<void> {
  if (!options.alreadyReady) {
    const ready = await markReadyForClosure(deps(app), app.factories.context(team.lead), concernId, await concernVersion(app, concernId))
    if (ready.kind !== 'done') throw new Error(`Could not mark ready: ${JSON.stringify(ready)}`)
  }
  // One meeting per date: use the day's meeting if there is one, bringing its agenda up to date.
  const existing = await app.database.db.selectFrom('review_meeting').select(['id', 'version']).where('organisation_id', '=', team.manager.organisationId).where('meeting_date', '=', meetingDate).executeTakeFirst()
  const meeting = existing ? { kind: 'done' as const, id: existing.id } : await createMeeting(deps(app), app.factories.context(team.manager), { meetingDate, attendeeIds: [team.manager.id], submissionKey: newId() })
  if (existing) await rebuildAgenda(deps(app), app.factories.context(team.manager), existing.id, existing.version)
  if (meeting.kind !== 'done') throw new Error(`Could not create the meeting: ${JSON.stringify(meeting)}`)
  const item = await app.database.db.selectFrom('review_item').select(['id', 'version', 'kind']).where('meeting_id', '=', meeting.id!).where('concern_id', '=', concernId).executeTakeFirstOrThrow()
  const recorded = await recordReview(deps(app), app.factories.context(team.manager), meeting.id!, item.id, item.version, { outcome: 'agreed', notes: null, actions: [] })
  if (recorded.kind !== 'done') throw new Error(`Could not record the Final Review: ${JSON.stringify(recorded)}`)
}

export async function addNoteAs(app: TestApp, user: TestUser, concernId: string, body: string) {
  const outcome = await addNote(deps(app), app.factories.context(user), concernId, { body, correctsId: null, submissionKey: newId() })
  if (outcome.kind !== 'done') throw new Error(`Could not add a note: ${JSON.stringify(outcome)}`)
  return outcome.id!
}

export async function addTaskAs(app: TestApp, user: TestUser, concernId: string, task: { title: string; assigneeId: string; dueOn: string }) {
  const outcome = await addTask(deps(app), app.factories.context(user), concernId, { ...task, details: null, submissionKey: newId() })
  if (outcome.kind !== 'done') throw new Error(`Could not add a task: ${JSON.stringify(outcome)}`)
  return outcome.id!
}
