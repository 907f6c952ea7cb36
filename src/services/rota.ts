import type { AppDeps, SignedInContext } from '../context.js'
import type { AbsenceKind } from '../db/schema.js'
import { generateRotation, monthRange, workingDaysBetween } from '../domain/rota.js'
import { addCalendarDays, londonDate } from '../domain/working-days.js'
import { newId } from '../ids.js'
import { nonWorkingDates } from '../repositories/calendar-repository.js'
import { deleteAbsence, dutyCounts, insertAbsence, listAbsences, listDuties, setDuties } from '../repositories/rota-repository.js'
import { listActiveUsersWithRole } from '../repositories/user-repository.js'
import { audit } from './audit.js'

/** Sets who is on duty on one date. False when someone else changed that day since the form was opened. */
export async function setDutyDay(deps: AppDeps, ctx: SignedInContext, date: string, userIds: string[], expectedVersion: number): Promise<boolean> {
  return deps.database.db.transaction().execute(async (tx) => {
    const ok = await setDuties(tx, ctx.user.organisationId, date, userIds, expectedVersion, ctx.user.id, ctx.now())
    if (ok) await audit(tx, ctx, { action: 'rota.day.set', details: { date, user_ids: userIds } })
    return ok
  })
}

/**
 * Fills every working day of a month that has nobody on duty yet (from today on), sharing duties
 * fairly among active DSOs and skipping their leave. Days already set are left as they are.
 */
export async function generateMonth(deps: AppDeps, ctx: SignedInContext, month: string, perDay: number): Promise<{ filled: number; uncovered: string[] }> {
  const organisationId = ctx.user.organisationId
  const today = londonDate(ctx.now())
  const { first, last } = monthRange(month)
  return deps.database.db.transaction().execute(async (tx) => {
    const calendar = await nonWorkingDates(tx, organisationId, first, last)
    const existing = new Set((await listDuties(tx, organisationId, first, last)).map((d) => d.duty_date))
    const dates = workingDaysBetween(first < today ? today : first, last, calendar).filter((d) => !existing.has(d))
    const dsos = await listActiveUsersWithRole(tx, organisationId, 'dso')
    const absences = (await listAbsences(tx, organisationId, first, last)).map((a) => ({ userId: a.user_id, startsOn: a.starts_on, endsOn: a.ends_on }))
    const prior = await dutyCounts(tx, organisationId, addCalendarDays(first, -90), last)
    const rota = generateRotation({ dates, dsoIds: dsos.map((d) => d.id), absences, perDay, priorDuties: prior })
    const uncovered: string[] = []
    for (const [date, ids] of rota) {
      if (ids.length === 0) {
        uncovered.push(date)
        continue
      }
      if (!(await setDuties(tx, organisationId, date, ids, 0, ctx.user.id, ctx.now()))) {
        // Someone set this day in the meantime; theirs stands.
        continue
      }
    }
    await audit(tx, ctx, { action: 'rota.generate', details: { month, per_day: perDay, days: rota.size - uncovered.length, uncovered: uncovered.length } })
    return { filled: rota.size - uncovered.length, uncovered }
  })
}

export async function addAbsence(deps: AppDeps, ctx: SignedInContext, a: { userId: string; startsOn: string; endsOn: string; kind: AbsenceKind }, submissionKey: string): Promise<void> {
  await deps.database.db.transaction().execute(async (tx) => {
    const id = newId()
    if (await insertAbsence(tx, { organisationId: ctx.user.organisationId, id, ...a, createdBy: ctx.user.id, createdAt: ctx.now(), submissionKey })) {
      await audit(tx, ctx, { action: 'rota.absence.create', recordType: 'dso_absence', recordId: id, details: { user_id: a.userId, starts_on: a.startsOn, ends_on: a.endsOn, kind: a.kind } })
    }
  })
}

export async function removeAbsence(deps: AppDeps, ctx: SignedInContext, id: string): Promise<boolean> {
  return deps.database.db.transaction().execute(async (tx) => {
    const removed = await deleteAbsence(tx, ctx.user.organisationId, id)
    if (removed) await audit(tx, ctx, { action: 'rota.absence.delete', recordType: 'dso_absence', recordId: id, details: { user_id: removed.user_id } })
    return removed !== undefined
  })
}
