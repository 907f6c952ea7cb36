import { DateTime } from 'luxon'
import type { AtRisk, ConcernStatus, IsoDate } from '../db/schema.js'
import { ageAtReceipt } from './kpis/concern-facts.js'
import type { Actor } from './policy.js'
import { londonDate } from './working-days.js'
import type { Permission, Refusal } from './triage-access.js'

/**
 * How long a closed safeguarding case is kept before it may be disposed of (design notes,
 * domain.md "Records and retention"): adult cases a number of years after closure; cases about a
 * child until the child's 25th birthday, or that many years after closure if later. Disposal is
 * never automatic: a case that has reached its date is proposed by one person and approved by
 * another, and never while a legal hold applies or the organisation has paused disposal.
 *
 * The repository lists due cases with the same rule in SQL (retention-repository.ts);
 * retention.db.test.ts checks the two agree.
 */
export interface RetentionRules {
  adultYearsAfterClosure: number
  childUntilAge: number
  childYearsAfterClosure: number
}

export const DEFAULT_RETENTION: RetentionRules = { adultYearsAfterClosure: 6, childUntilAge: 25, childYearsAfterClosure: 6 }

export const RETENTION_LIMITS = { yearsAfterClosure: { min: 1, max: 100 }, childUntilAge: { min: 18, max: 100 } } as const

export interface RetainedCase {
  at_risk: AtRisk
  /** London calendar dates. */
  received_on: IsoDate
  closed_on: IsoDate | null
  date_of_birth: IsoDate | null
  age_at_receipt: number | null
}

/** What retention needs from a concern row: London dates, and the age at the concern. */
export function retainedCaseOf(c: { at_risk: AtRisk; status: ConcernStatus; received_at: Date; closed_at: Date | null; person_date_of_birth: IsoDate | null; person_age_years: number | null }): RetainedCase {
  const receivedOn = londonDate(c.received_at)
  return {
    at_risk: c.at_risk,
    received_on: receivedOn,
    closed_on: c.status === 'closed' && c.closed_at ? londonDate(c.closed_at) : null,
    date_of_birth: c.person_date_of_birth,
    age_at_receipt: ageAtReceipt(c, receivedOn),
  }
}

export type RetentionDue =
  | { kind: 'open' }
  | { kind: 'unknown'; reason: string }
  | { kind: 'due'; on: IsoDate; rule: string }

const plusYears = (date: IsoDate, years: number): IsoDate => DateTime.fromISO(date).plus({ years }).toISODate()!

/** Adult cases follow the adult rule; anything about a child (including unborn and household concerns) the child rule. */
export function isAdultRecord(atRisk: AtRisk): boolean {
  return atRisk === 'adult'
}

/**
 * The latest date the child could have been born, so a record is never disposed of early: the
 * date of birth when recorded; for an unborn child, a year after the concern; from an age at the
 * concern, that many years before it (the birthday may fall on the day itself).
 */
export function latestBirthDate(c: Pick<RetainedCase, 'at_risk' | 'received_on' | 'date_of_birth' | 'age_at_receipt'>): IsoDate | null {
  if (c.date_of_birth) return c.date_of_birth
  if (c.at_risk === 'unborn') return plusYears(c.received_on, 1)
  if (c.age_at_receipt !== null) return plusYears(c.received_on, -c.age_at_receipt)
  return null
}

export function ruleDescription(atRisk: AtRisk, rules: RetentionRules): string {
  return isAdultRecord(atRisk)
    ? `Adult case: ${rules.adultYearsAfterClosure} years after closure`
    : `Child case: until the ${ordinal(rules.childUntilAge)} birthday, or ${rules.childYearsAfterClosure} years after closure if later`
}

/** When a case may first be disposed of, or why that cannot be said. */
export function retentionDue(c: RetainedCase, rules: RetentionRules): RetentionDue {
  if (!c.closed_on) return { kind: 'open' }
  const rule = ruleDescription(c.at_risk, rules)
  if (isAdultRecord(c.at_risk)) return { kind: 'due', on: plusYears(c.closed_on, rules.adultYearsAfterClosure), rule }
  const birth = latestBirthDate(c)
  if (!birth) return { kind: 'unknown', reason: `No date of birth or age was recorded, so the child’s ${ordinal(rules.childUntilAge)} birthday cannot be worked out. Keep the record.` }
  const afterClosure = plusYears(c.closed_on, rules.childYearsAfterClosure)
  const birthday = plusYears(birth, rules.childUntilAge)
  return { kind: 'due', on: birthday > afterClosure ? birthday : afterClosure, rule }
}

export interface DisposalCandidate extends RetainedCase {
  status: ConcernStatus
  disposed_at: Date | null
  on_legal_hold: boolean
}

const ALLOWED: Permission = { allowed: true }
const refuse = (reason: string): Refusal => ({ allowed: false, reason })

export const PAUSED_MESSAGE = 'Disposal is paused for your organisation. An administrator can restart it in the retention settings.'

/** Whether a case may be disposed of today at all, whoever asks. */
export function disposalAllowed(c: DisposalCandidate, rules: RetentionRules, paused: boolean, today: IsoDate): Permission {
  if (c.disposed_at) return refuse('This record has already been disposed of.')
  if (c.status !== 'closed') return refuse('Only a closed case can be disposed of.')
  if (paused) return refuse(PAUSED_MESSAGE)
  if (c.on_legal_hold) return refuse('This case is under a legal hold, so it must be kept.')
  const due = retentionDue(c, rules)
  if (due.kind === 'unknown') return refuse(due.reason)
  if (due.kind !== 'due' || due.on > today) return refuse(`This case must be kept until ${due.kind === 'due' ? formatDate(due.on) : 'it is closed'}.`)
  return ALLOWED
}

/** The second person: a Senior Lead Officer who did not propose it. */
export function mayApproveDisposal(actor: Actor, proposal: { proposed_by: string }): Permission {
  if (!actor.roles.has('senior_lead_officer')) return refuse('Only a Senior Lead Officer can approve a disposal.')
  if (proposal.proposed_by === actor.id) return refuse('You proposed this disposal, so someone else must approve it.')
  return ALLOWED
}

export function mayHoldRecords(actor: Actor): boolean {
  return actor.roles.has('safeguarding_manager') || actor.roles.has('senior_lead_officer')
}

export interface RetentionSettingsInput {
  adultYearsAfterClosure: string
  childUntilAge: string
  childYearsAfterClosure: string
  paused: string
  pausedReason: string
}

export type RetentionSettingsCheck =
  | { kind: 'ok'; rules: RetentionRules; paused: boolean; pausedReason: string | null }
  | { kind: 'invalid'; problems: { field: keyof RetentionSettingsInput; message: string }[] }

/** Checks the administrator's retention settings form. */
export function checkRetentionSettings(input: RetentionSettingsInput): RetentionSettingsCheck {
  const problems: { field: keyof RetentionSettingsInput; message: string }[] = []
  const whole = (field: 'adultYearsAfterClosure' | 'childUntilAge' | 'childYearsAfterClosure', label: string, limits: { min: number; max: number }) => {
    const text = input[field].trim()
    if (!text) problems.push({ field, message: `Enter ${label}` })
    else if (!/^\d{1,3}$/.test(text)) problems.push({ field, message: `${capitalise(label)} must be a whole number, like 6` })
    else if (Number(text) < limits.min || Number(text) > limits.max) problems.push({ field, message: `${capitalise(label)} must be between ${limits.min} and ${limits.max}` })
    return Number(text)
  }
  const adult = whole('adultYearsAfterClosure', 'the years to keep adult cases after closure', RETENTION_LIMITS.yearsAfterClosure)
  const untilAge = whole('childUntilAge', 'the age until which child cases are kept', RETENTION_LIMITS.childUntilAge)
  const child = whole('childYearsAfterClosure', 'the years to keep child cases after closure', RETENTION_LIMITS.yearsAfterClosure)
  if (input.paused !== 'yes' && input.paused !== 'no') problems.push({ field: 'paused', message: 'Select whether disposal is paused' })
  const reason = input.pausedReason.trim()
  if (input.paused === 'yes' && !reason) problems.push({ field: 'pausedReason', message: 'Enter why disposal is paused, for example the inquiry that asked for records to be kept' })
  if (reason.length > 2000) problems.push({ field: 'pausedReason', message: 'The reason must be 2,000 characters or fewer' })
  if (problems.length > 0) return { kind: 'invalid', problems }
  return { kind: 'ok', rules: { adultYearsAfterClosure: adult, childUntilAge: untilAge, childYearsAfterClosure: child }, paused: input.paused === 'yes', pausedReason: input.paused === 'yes' ? reason : null }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function ordinal(n: number): string {
  const tens = n % 100
  if (tens >= 11 && tens <= 13) return `${n}th`
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`
}

export function formatDate(iso: IsoDate): string {
  return DateTime.fromISO(iso).toFormat('d MMMM yyyy')
}
