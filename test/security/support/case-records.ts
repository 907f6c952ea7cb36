import { addChronologyEntry } from '../../../src/services/case-chronology.js'
import { uploadDocument } from '../../../src/services/case-documents.js'
import { addNote } from '../../../src/services/case-notes.js'
import { addPersonToCase, mergePersons } from '../../../src/services/case-people.js'
import { createMeeting } from '../../../src/services/case-review.js'
import { addTask } from '../../../src/services/case-tasks.js'
import { londonDate } from '../../../src/domain/working-days.js'
import { newId } from '../../../src/ids.js'
import type { TestApp } from '../../helpers/app.js'
import type { TestUser } from '../../helpers/factories.js'
import { minimalPdf } from '../../helpers/sample-files.js'

/**
 * What sits inside a case record and is opened by its own id (`/concerns/:id/notes/:noteId/…`):
 * one of each, added through the real services by the case's Lead DSO. A new kind of thing inside
 * a case gets its builder here, keyed by the path parameter that names it.
 */
function must<T extends { kind: string; id?: string }>(what: string, outcome: T): string {
  if (outcome.kind !== 'done' || !outcome.id) throw new Error(`Could not add ${what} to the fixture case: ${JSON.stringify(outcome)}`)
  return outcome.id
}

export async function addCaseChildren(app: TestApp, lead: TestUser, concernId: string, canary?: string): Promise<Record<string, string>> {
  const deps = app.server.deps
  const ctx = app.factories.context(lead)
  const today = londonDate(app.clock.now())
  const text = canary ? `${canary} detail` : 'Spoke to the person at home.'
  const noteId = must('a note', await addNote(deps, ctx, concernId, { body: text, correctsId: null, submissionKey: newId() }))
  const taskId = must('a task', await addTask(deps, ctx, concernId, { title: canary ?? 'Phone the school', details: null, assigneeId: lead.id, dueOn: today, submissionKey: newId() }))
  const documentId = must('a document', await uploadDocument(deps, ctx, concernId, { fileName: `${canary ?? 'minutes'}.pdf`, bytes: Buffer.from(minimalPdf()), truncated: false, description: canary ?? null, submissionKey: newId() }))
  const entryKey = newId()
  const entry = await addChronologyEntry(deps, ctx, concernId, { occurredOn: today, category: 'Home visit', summary: text, significant: false, correctsId: null, submissionKey: entryKey })
  if (entry.kind !== 'done') throw new Error(`Could not add a chronology entry: ${JSON.stringify(entry)}`)
  const entryRow = await app.database.db.selectFrom('chronology_entry').select('id').where('concern_id', '=', concernId).where('submission_key', '=', entryKey).executeTakeFirstOrThrow()
  return { noteId, taskId, documentId, entryId: entryRow.id }
}

/** Someone on a case, in the person index. */
export async function addPerson(app: TestApp, lead: TestUser, concernId: string, name: string, details: { dateOfBirth?: string; postcode?: string } = {}): Promise<string> {
  const person = { name, otherNames: null, dateOfBirth: details.dateOfBirth ?? null, ageYears: null, address: null, postcode: details.postcode ?? null }
  return must('a person', await addPersonToCase(app.server.deps, app.factories.context(lead), concernId, { role: 'household', person }))
}

/** Two people on a case merged by a manager: the merge's id. */
export async function mergeTwo(app: TestApp, lead: TestUser, manager: TestUser, concernId: string): Promise<string> {
  const a = await addPerson(app, lead, concernId, 'Merge Survivor')
  const b = await addPerson(app, lead, concernId, 'Merge Duplicate')
  return must('a merge', await mergePersons(app.server.deps, app.factories.context(manager), { survivorId: a, survivorVersion: 1, mergedId: b, mergedVersion: 1, reason: 'The same person' }))
}

/**
 * A weekly review meeting built by the given person (its agenda holds the open cases they may
 * see), on a date after the organisation's last one. Returns the meeting and its items by case.
 */
export async function meetingWithItems(app: TestApp, organiser: TestUser, daysAhead: number): Promise<{ id: string; itemsByConcern: Map<string, string> }> {
  const date = londonDate(new Date(app.clock.now().getTime() + daysAhead * 86_400_000))
  const id = must('a review meeting', await createMeeting(app.server.deps, app.factories.context(organiser), { meetingDate: date, attendeeIds: [organiser.id], submissionKey: newId() }))
  const items = await app.database.db.selectFrom('review_item').select(['id', 'concern_id']).where('meeting_id', '=', id).execute()
  return { id, itemsByConcern: new Map(items.map((i) => [i.concern_id, i.id])) }
}
