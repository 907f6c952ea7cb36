import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/** Dates without a time (`date` columns) travel as 'YYYY-MM-DD' strings, never as JS Dates. */
export type IsoDate = string
type Timestamp = ColumnType<Date, Date | string, Date | string>
type Defaulted<T> = ColumnType<T, T | undefined, T>

export type Role = 'dso' | 'safeguarding_manager' | 'senior_lead_officer' | 'auditor' | 'admin'
export type ConcernStatus = 'submitted' | 'allocated' | 'open' | 'closure_requested' | 'closed'
export type AtRisk = 'adult' | 'child' | 'unborn' | 'household'

export interface OrganisationTable {
  id: string
  name: string
  slug: string
  target_working_days: Defaulted<number>
  cut_off_time: string | null
  reference_prefix: Defaulted<string>
  created_at: Generated<Date>
}

export interface ServiceTable {
  organisation_id: string
  id: string
  name: string
  active: Defaulted<boolean>
  sort_order: Defaulted<number>
}

export interface AppUserTable {
  organisation_id: string
  id: string
  email: string
  display_name: string
  password_hash: string | null
  must_change_password: Defaulted<boolean>
  service_id: string | null
  active: Defaulted<boolean>
  version: Defaulted<number>
  created_at: Generated<Date>
  deactivated_at: Timestamp | null
}

export interface UserRoleTable {
  organisation_id: string
  user_id: string
  role: Role
  granted_at: Generated<Date>
}

export interface HttpSessionTable {
  sid: string
  organisation_id: string | null
  user_id: string | null
  data: ColumnType<Record<string, unknown>, string, string>
  expires_at: Timestamp
}

export interface SignInFailureTable {
  id: string
  throttle_key: string
  occurred_at: Timestamp
}

export interface BankHolidayTable {
  division: string
  holiday_date: IsoDate
  title: string
}

export interface ClosureDayTable {
  organisation_id: string
  closure_date: IsoDate
  reason: string
}

export interface ReferenceCounterTable {
  organisation_id: string
  year: number
  last_value: number
}

export interface ConcernTable {
  organisation_id: string
  id: string
  reference: string
  submission_key: string
  status: Defaulted<ConcernStatus>
  referrer_user_id: string
  referrer_service_id: string
  received_at: Timestamp
  due_at: Timestamp
  at_risk: AtRisk
  person_name: string
  person_known_as: string | null
  person_date_of_birth: IsoDate | null
  person_age_years: number | null
  person_address: string | null
  person_postcode: string | null
  household_members: string | null
  what_happened: string
  concern_types: string[]
  location: string
  happened_on: IsoDate | null
  immediate_danger: boolean
  person_aware: string
  addressed_at: Timestamp | null
  closed_at: Timestamp | null
  version: Defaulted<number>
  created_at: Generated<Date>
  lead_dso_id: string | null
  second_dso_id: string | null
  allocated_at: Timestamp | null
  allocated_by: string | null
  risk_level: RiskLevel | null
  confirmed_types: string[] | null
  decision: Decision | null
  decision_rationale: string | null
  decided_by: string | null
  second_agreed_at: Timestamp | null
  second_agreement_method: 'confirmed_in_kestrel' | 'recorded_by_lead' | null
  second_agreement_note: string | null
  delay_reason: string | null
  restricted: Defaulted<boolean>
  source_of_risk: string | null
  ready_for_closure_at: Timestamp | null
  closure_requested_at: Timestamp | null
  closure_requested_by: string | null
  closing_summary: string | null
  sac_outcome: string | null
  risk_outcome: 'risk_remained' | 'risk_reduced' | 'risk_removed' | null
  msp_asked: string | null
  msp_achieved: 'fully' | 'partially' | 'not' | null
  closure_approved_by: string | null
  reopened_count: Defaulted<number>
  disposed_at: Timestamp | null
}

export interface ConcernAccessTable {
  organisation_id: string
  concern_id: string
  user_id: string
  granted_by: string
  granted_at: Timestamp
}

export interface PersonTable {
  organisation_id: string
  id: string
  name: string
  other_names: string | null
  date_of_birth: IsoDate | null
  age_years: number | null
  address: string | null
  postcode: string | null
  merged_into_id: string | null
  created_at: Timestamp
  version: Defaulted<number>
}

export interface ConcernPersonTable {
  organisation_id: string
  concern_id: string
  person_id: string
  role: 'subject' | 'household' | 'alleged_responsible'
  linked_by: string | null
  linked_at: Timestamp
}

export type RiskLevel = 'low' | 'medium' | 'high' | 'immediate'
export type Decision = 'onward_referral' | 'advice_and_guidance' | 'no_further_action' | 'already_known_to_agency'
export type ReferralMethod = 'phone' | 'email' | 'portal' | 'form' | 'in_person' | 'other'
export type Consent = 'given' | 'refused_referred' | 'not_sought'
export type ReferralOutcome = 'accepted' | 'no_further_action' | 'signposted' | 'already_open' | 'other'

export interface ConcernAllocationTable {
  organisation_id: string
  id: string
  concern_id: string
  lead_dso_id: string
  second_dso_id: string
  allocated_by: string
  allocated_at: Timestamp
  reason: string | null
}

export interface OnwardReferralTable {
  organisation_id: string
  id: string
  concern_id: string
  agency: string
  agency_other: string | null
  made_at: Timestamp
  method: ReferralMethod
  contact: string | null
  agency_reference: string | null
  consent: Consent
  consent_reason: string | null
  information_shared: string | null
  follow_up_on: IsoDate | null
  outcome: ReferralOutcome | null
  outcome_note: string | null
  outcome_recorded_at: Timestamp | null
  outcome_recorded_by: string | null
  created_by: string
  created_at: Timestamp
  submission_key: string
  version: Defaulted<number>
}

export interface ChronologyEntryTable {
  organisation_id: string
  id: string
  concern_id: string
  occurred_at: Timestamp
  recorded_at: Timestamp
  recorded_by: string | null
  kind: 'system' | 'manual'
  category: string
  summary: string
  significant: Defaulted<boolean>
  corrects_id: string | null
  submission_key: string | null
}

export interface AuditEventTable {
  organisation_id: string
  seq: ColumnType<number, number, never>
  id: string
  occurred_at: Timestamp
  actor_user_id: string | null
  action: string
  outcome: 'success' | 'denied' | 'failure'
  record_type: string | null
  record_id: string | null
  request_id: string | null
  details: ColumnType<Record<string, unknown>, string, never>
  prev_hash: string
  hash: string
  /** The audit key that sealed the row (an HMAC); null for rows hashed before keying (SHA-256). */
  hash_key_id: string | null
}

export interface AuditChainHeadTable {
  organisation_id: string
  last_seq: number
  last_hash: string
}

export interface RotaDateTable {
  organisation_id: string
  duty_date: IsoDate
  version: Defaulted<number>
  updated_by: string | null
  updated_at: Timestamp
}

export interface RotaDutyTable {
  organisation_id: string
  duty_date: IsoDate
  user_id: string
}

export type AbsenceKind = 'leave' | 'unavailable'

export interface DsoAbsenceTable {
  organisation_id: string
  id: string
  user_id: string
  starts_on: IsoDate
  ends_on: IsoDate
  kind: AbsenceKind
  created_by: string
  created_at: Timestamp
  submission_key: string
}

export interface AgencyTable {
  organisation_id: string
  id: string
  name: string
  active: Defaulted<boolean>
  sort_order: Defaulted<number>
  version: Defaulted<number>
}

export interface NotificationTable {
  organisation_id: string
  id: string
  user_id: string
  kind: string
  concern_id: string | null
  text: string
  href: string | null
  created_at: Timestamp
  read_at: Timestamp | null
  dedupe_key: string | null
}

export type EmailStatus = 'pending' | 'held' | 'sent' | 'failed'
export type EmailDelivery = 'outbox' | 'smtp' | 'notify'

export interface EmailOutboxTable {
  organisation_id: string
  id: string
  to_address: string
  kind: string
  subject: string
  body: string
  personalisation: ColumnType<Record<string, string>, string, string>
  status: EmailStatus
  attempts: Defaulted<number>
  next_attempt_at: Timestamp
  claimed_until: Timestamp | null
  last_error: string | null
  provider: string | null
  provider_reference: string | null
  created_at: Timestamp
  sent_at: Timestamp | null
  dedupe_key: string | null
}

export interface OrganisationNotificationSettingTable {
  organisation_id: string
  email_delivery: Defaulted<EmailDelivery>
  notify_api_key: string | null
  notify_templates: ColumnType<Record<string, string>, string | undefined, string>
  version: Defaulted<number>
  updated_at: Timestamp
}

export interface ScheduledJobTable {
  name: string
  next_run_at: Timestamp
  lease_owner: string | null
  lease_expires_at: Timestamp | null
  last_started_at: Timestamp | null
  last_finished_at: Timestamp | null
  last_outcome: 'success' | 'failure' | null
  last_error: string | null
  run_count: Defaulted<number>
}

export interface OrganisationSecuritySettingTable {
  organisation_id: string
  mfa_required: Defaulted<boolean>
  version: Defaulted<number>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  updated_by: string | null
}

export interface UserMfaTable {
  organisation_id: string
  user_id: string
  /** AES-256-GCM, sealed by services/secret-box.ts: never the secret itself. */
  secret_ciphertext: string
  enabled_at: Timestamp | null
  last_time_step: number | null
  created_at: Timestamp
}

export interface MfaRecoveryCodeTable {
  organisation_id: string
  id: string
  user_id: string
  code_hash: string
  created_at: Timestamp
  used_at: Timestamp | null
}

// Reporting (0007_reporting): derived facts, daily counts, settings and historical imports.
export type RepeatBasis = 'person_index' | 'name_and_date_of_birth' | 'name_and_postcode'

export interface ReportConcernFactTable {
  organisation_id: string
  concern_id: string
  restricted: boolean
  received_at: Timestamp
  received_on: IsoDate
  addressed_on: IsoDate | null
  closed_on: IsoDate | null
  service_id: string
  at_risk: AtRisk
  is_adult: boolean
  age_years: number | null
  types: string[]
  location: string
  source_of_risk: string | null
  decision: Decision | null
  risk_level: RiskLevel | null
  within_target: boolean | null
  wd_to_address: number | null
  wd_to_close: number | null
  sac_outcome: string | null
  risk_outcome: string | null
  msp_asked: string | null
  msp_achieved: string | null
  reopened: boolean
  person_key: string | null
  repeat_basis: RepeatBasis | null
  is_repeat: Defaulted<boolean>
}

export interface ReportReferralFactTable {
  organisation_id: string
  referral_id: string
  concern_id: string
  restricted: boolean
  agency: string
  made_on: IsoDate
}

export interface ReportDailyTable {
  organisation_id: string
  day: IsoDate
  measure: string
  value: string
  n: number
}

export interface ReportMonthlyTable {
  organisation_id: string
  /** The first day of the month. */
  month: IsoDate
  measure: string
  value: string
  n: number
}

export interface ReportStaleTable {
  organisation_id: string
  concern_id: string
  version: Defaulted<number>
}

export interface ReportStaleDayTable {
  organisation_id: string
  day: IsoDate
}

export interface ReportRefreshStateTable {
  organisation_id: string
  refreshed_at: Timestamp | null
}

export interface ReportSettingsTable {
  organisation_id: string
  age_band_starts: number[]
  age_total_from: number | null
  version: Defaulted<number>
  updated_by: string | null
  updated_at: Timestamp
}

export type ImportStatus = 'validated' | 'imported' | 'discarded'

export interface ImportBatchTable {
  organisation_id: string
  id: string
  created_by: string
  created_at: Timestamp
  file_name: string
  file_format: 'csv' | 'xlsx'
  file_sha256: string
  content: Buffer | null
  row_count: number
  valid_count: number
  already_imported_count: number
  problem_count: number
  problems: ColumnType<unknown[], string, string>
  status: ImportStatus
  finished_at: Timestamp | null
  finished_by: string | null
  imported_count: number | null
  version: Defaulted<number>
}

export interface ConcernImportTable {
  organisation_id: string
  concern_id: string
  batch_id: string
  external_reference: string
  gender: string | null
  source_of_concern: string | null
}

// Case record (0005_case_record): notes, tasks, documents, break glass, weekly reviews, closure, person merges.
export type ReviewKind = 'first_review' | 'progress_check' | 'final_review'
export type ReviewOutcome = 'agreed' | 'actions_set' | 'escalate'
export type ReviewFlag = 'overdue_task' | 'overdue_follow_up' | 'inactive' | 'carried_over'

export interface CaseNoteTable {
  organisation_id: string
  id: string
  concern_id: string
  body: string
  author_id: string
  created_at: Timestamp
  corrects_id: string | null
  submission_key: string
}

export interface CaseTaskTable {
  organisation_id: string
  id: string
  concern_id: string
  title: string
  details: string | null
  assignee_id: string
  due_on: IsoDate
  created_by: string
  created_at: Timestamp
  review_item_id: string | null
  completed_at: Timestamp | null
  completed_by: string | null
  completion_note: string | null
  version: Defaulted<number>
  submission_key: string
}

export interface CaseDocumentTable {
  organisation_id: string
  id: string
  concern_id: string
  original_name: string
  file_type: string
  size_bytes: number
  sha256: string
  description: string | null
  uploaded_by: string
  uploaded_at: Timestamp
  submission_key: string
}

export interface DocumentContentTable {
  organisation_id: string
  document_id: string
  content: Buffer
}

export interface BreakGlassAccessTable {
  organisation_id: string
  id: string
  concern_id: string
  user_id: string
  reason: string
  opened_at: Timestamp
  expires_at: Timestamp
}

export interface ReviewMeetingTable {
  organisation_id: string
  id: string
  meeting_date: IsoDate
  created_by: string
  created_at: Timestamp
  completed_at: Timestamp | null
  completed_by: string | null
  version: Defaulted<number>
  submission_key: string
}

export interface ReviewMeetingAttendeeTable {
  organisation_id: string
  meeting_id: string
  user_id: string
}

export interface ReviewItemTable {
  organisation_id: string
  id: string
  meeting_id: string
  concern_id: string
  kind: ReviewKind
  flags: Defaulted<ReviewFlag[]>
  position: number
  outcome: ReviewOutcome | null
  notes: string | null
  recorded_by: string | null
  recorded_at: Timestamp | null
  version: Defaulted<number>
}

export interface ClosureRequestTable {
  organisation_id: string
  id: string
  concern_id: string
  requested_by: string
  requested_at: Timestamp
  closing_summary: string
  sac_outcome: string | null
  risk_outcome: string | null
  msp_asked: string | null
  msp_achieved: string | null
  decision: 'approved' | 'returned' | null
  decided_by: string | null
  decided_at: Timestamp | null
  comments: string | null
  submission_key: string
}

export interface CaseReopeningTable {
  organisation_id: string
  id: string
  concern_id: string
  reopened_by: string
  reopened_at: Timestamp
  reason: string
}

export interface PersonMergeTable {
  organisation_id: string
  id: string
  survivor_id: string
  merged_id: string
  moved_ids: Defaulted<string[]>
  reason: string
  merged_by: string
  merged_at: Timestamp
  undone_at: Timestamp | null
  undone_by: string | null
  undo_reason: string | null
}

export interface RetentionSettingTable {
  organisation_id: string
  adult_years_after_closure: number
  child_until_age: number
  child_years_after_closure: number
  disposal_paused: Defaulted<boolean>
  paused_reason: string | null
  updated_by: string | null
  updated_at: Timestamp
  version: Defaulted<number>
}

export interface LegalHoldTable {
  organisation_id: string
  id: string
  concern_id: string
  reason: string
  placed_by: string
  placed_at: Timestamp
  lifted_by: string | null
  lifted_at: Timestamp | null
  lift_reason: string | null
}

export type DisposalStatus = 'proposed' | 'withdrawn' | 'disposed'

export interface DisposalTable {
  organisation_id: string
  id: string
  concern_id: string
  reference: string
  rule: string
  due_on: IsoDate
  status: DisposalStatus
  proposed_by: string
  proposed_at: Timestamp
  decided_by: string | null
  decided_at: Timestamp | null
  version: Defaulted<number>
}

export interface DB {
  organisation: OrganisationTable
  service: ServiceTable
  app_user: AppUserTable
  user_role: UserRoleTable
  http_session: HttpSessionTable
  sign_in_failure: SignInFailureTable
  bank_holiday: BankHolidayTable
  closure_day: ClosureDayTable
  reference_counter: ReferenceCounterTable
  concern: ConcernTable
  audit_event: AuditEventTable
  audit_chain_head: AuditChainHeadTable
  concern_allocation: ConcernAllocationTable
  onward_referral: OnwardReferralTable
  chronology_entry: ChronologyEntryTable
  concern_access: ConcernAccessTable
  person: PersonTable
  concern_person: ConcernPersonTable
  case_note: CaseNoteTable
  case_task: CaseTaskTable
  case_document: CaseDocumentTable
  document_content: DocumentContentTable
  break_glass_access: BreakGlassAccessTable
  review_meeting: ReviewMeetingTable
  review_meeting_attendee: ReviewMeetingAttendeeTable
  review_item: ReviewItemTable
  closure_request: ClosureRequestTable
  case_reopening: CaseReopeningTable
  person_merge: PersonMergeTable
  rota_date: RotaDateTable
  rota_duty: RotaDutyTable
  dso_absence: DsoAbsenceTable
  agency: AgencyTable
  notification: NotificationTable
  email_outbox: EmailOutboxTable
  organisation_notification_setting: OrganisationNotificationSettingTable
  scheduled_job: ScheduledJobTable
  organisation_security_setting: OrganisationSecuritySettingTable
  user_mfa: UserMfaTable
  mfa_recovery_code: MfaRecoveryCodeTable
  report_concern_fact: ReportConcernFactTable
  report_referral_fact: ReportReferralFactTable
  report_daily: ReportDailyTable
  report_monthly: ReportMonthlyTable
  report_stale: ReportStaleTable
  report_stale_day: ReportStaleDayTable
  report_refresh_state: ReportRefreshStateTable
  report_settings: ReportSettingsTable
  import_batch: ImportBatchTable
  concern_import: ConcernImportTable
  retention_setting: RetentionSettingTable
  legal_hold: LegalHoldTable
  disposal: DisposalTable
}

export type Concern = Selectable<ConcernTable>
export type NewConcern = Insertable<ConcernTable>
export type AppUser = Selectable<AppUserTable>
export type Organisation = Selectable<OrganisationTable>
